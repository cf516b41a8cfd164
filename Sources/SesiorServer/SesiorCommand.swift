// SesiorServer — the `sesior` executable: the SESIOR app (REST routes, web client, and later the
// Socket.IO layer) sharing one express-session compatible session, kept in Redis or in memory.
//
// Layout: Configuration/ (flags, environment, secret file), Store/ (session backend, health),
// Users/ (user names and the registry), Routes/ (one file per route), Middleware/ (app-specific
// middleware), Sockets/ (where the socket layer plugs in). `SesiorInstance` ties them together.
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The `sesior` executable: serves the SESIOR application until SIGINT/SIGTERM.
@main
struct Sesior: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sesior",
        abstract: "SESIOR server: one session shared by REST routes and real-time sockets."
    )

    @OptionGroup var options: SesiorOptions

    func run() async throws {
        let configuration = try options.configuration(environment: ProcessInfo.processInfo.environment)
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "sesior")
        let instance = try await SesiorInstance(configuration: configuration, logger: logger)
        try await instance.start()
        var members: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: instance.server),
            .init(service: StartupAnnouncement(instance: instance, logger: logger), successTerminationBehavior: .ignore),
        ]
        if instance.tls != nil {
            members.append(.init(service: CertificateReloadService(instance: instance, logger: logger)))
        }
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: members,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await services.run()
        await instance.shutdown()
    }
}

/// Re-reads the TLS certificate on every SIGHUP while the server runs (only run when serving TLS).
struct CertificateReloadService: Service {
    let instance: SesiorInstance
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            instance.reloadCertificates(logger: logger)
        }
    }
}

/// Prints the start-up line (and warns when Redis does not answer yet) from inside the service
/// group, which traps SIGTERM and SIGINT before it starts its services: a supervisor or a test
/// that signals sesior as soon as it reads the line gets the graceful shutdown, never the
/// signal's default action (exit status 15 with nothing drained).
struct StartupAnnouncement: Service {
    let instance: SesiorInstance
    let logger: Logger

    func run() async throws {
        print(instance.startupLine)
        fflush(nil)
        if await instance.services.health.check() == .down {
            logger.warning("Redis (\(instance.backend.description)) does not answer yet: requests needing sessions get 503 until it does")
        }
    }
}
