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

    @Option(help: "Milliseconds between pings (socket.io's pingInterval; the suites assume 300).")
    var pingInterval: Int64 = 300

    @Option(help: "Milliseconds to wait for a pong (pingTimeout; the suites assume 200).")
    var pingTimeout: Int64 = 200

    @Option(help: "Milliseconds an upgrade may take (upgradeTimeout).")
    var upgradeTimeout: Int64 = 10_000

    @Option(help: "Largest message or POST body in bytes (maxHttpBufferSize).")
    var maxHttpBufferSize: Int = 1_000_000

    @Option(help: "Transports, comma-separated: polling, websocket.")
    var transports: String = "polling,websocket"

    @Flag(help: "permessage-deflate for messages of 1024 bytes or more (perMessageDeflate; default off).")
    var perMessageDeflate = false

    @Flag(help: "Do not compress polling responses (httpCompression: false).")
    var noHttpCompression = false

    @Flag(name: .customLong("allow-eio3"), help: "Also serve Engine.IO v3 clients (allowEIO3; default off).")
    var allowEIO3 = false

    /// The server options the flags describe.
    func options() throws -> ConformanceServers.Options {
        var options = ConformanceServers.Options()
        options.engine = EngineIOConfiguration(
            pingInterval: .milliseconds(pingInterval), pingTimeout: .milliseconds(pingTimeout),
            maxPayload: maxHttpBufferSize, upgradeTimeout: .milliseconds(upgradeTimeout), allowEIO3: allowEIO3)
        var chosen: Set<EngineIOTransport> = []
        for name in transports.split(separator: ",") {
            let trimmed = name.filter { $0 != " " }
            guard let transport = EngineIOTransport(rawValue: trimmed) else {
                throw ValidationError("unknown transport '\(trimmed)' (polling, websocket)")
            }
            chosen.insert(transport)
        }
        guard !chosen.isEmpty else { throw ValidationError("--transports must name at least one transport") }
        options.transports = chosen
        options.perMessageDeflate = perMessageDeflate
        options.httpCompression = !noHttpCompression
        return options
    }

    func run() async throws {
        let options = try options()
        var app = App()
        switch mode {
        case .engineIO: app.use(ConformanceServers.engineIO(options: options))
        case .socketIO: ConformanceServers.socketIO(options: options).attach(to: &app)
        }
        let server = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: host, port: port))
        try await server.start()
        print("socketio-conformance-server (\(mode.rawValue)) listening on \(host):\(port)")
        try await server.run()
    }
}
