// socketio-conformance-server: the servers the official engine.io-protocol and
// socket.io-protocol test suites talk to (protocol-facts §6).
import ArgumentParser
import HTTPCore
import SocketIO

@main
struct SocketIOConformanceServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "socketio-conformance-server",
        abstract: "The server the official Engine.IO / Socket.IO protocol test suites expect.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case engineIO = "engine.io"
        case socketIO = "socket.io"
    }

    @Option(help: "engine.io (echo at /engine.io/) or socket.io (/socket.io/ with a /custom namespace).")
    var mode: Mode

    @Option(help: "The TCP port to listen on.")
    var port: Int = 3000

    @Option(help: "The address to bind.")
    var host: String = "127.0.0.1"

    func run() async throws {
        var app = App()
        switch mode {
        case .engineIO: app.use(ConformanceServers.engineIO())
        case .socketIO: ConformanceServers.socketIO().attach(to: &app)
        }
        let server = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: host, port: port))
        try await server.start()
        print("socketio-conformance-server (\(mode.rawValue)) listening on \(host):\(port)")
        try await server.run()
    }
}
