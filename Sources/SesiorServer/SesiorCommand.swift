import ArgumentParser
import Foundation
import HTTPCore
import Logging
import ServiceLifecycle

/// The `sesior` executable: serves the SESIOR application over HTTP until SIGINT/SIGTERM.
@main
struct Sesior: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sesior",
        abstract: "SESIOR server: one session shared by REST routes and real-time sockets."
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 7331

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "sesior")
        let app = SesiorApplication.make(logger: logger)
        let server = HTTPServer(
            responder: app,
            configuration: HTTPServerConfiguration(host: host, port: port),
            logger: logger)
        try await server.start()
        if let address = server.localAddress {
            print("sesior listening on \(SesiorApplication.url(of: address))")
            fflush(nil)
        }
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: server)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await services.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
