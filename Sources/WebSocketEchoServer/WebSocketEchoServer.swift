// websocket-echo-server: echoes every text and binary message, with permessage-deflate on.
// Used by the Autobahn conformance run (scripts/autobahn.sh) and the echo benchmark. Messages
// are echoed from the connection's event loop (WebSocketCallbacks); reading pauses while the
// peer does not read its echoes. Every
// upgrade request is accepted whatever its path; other requests get a short text answer.
import ArgumentParser
import HTTPCore
import WebSocketCore

@main
struct WebSocketEchoServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "websocket-echo-server", abstract: "A WebSocket echo server (permessage-deflate enabled).")

    @Option(help: "The TCP port to listen on.")
    var port: Int

    @Option(help: "The address to bind.")
    var host: String = "127.0.0.1"

    func run() async throws {
        // Callback-driven: each message is echoed on its connection's event loop as it is
        // assembled, with no task hop, and the echoes of one read share one flush.
        let upgrader = WebSocketUpgrader(configuration: Self.webSocketConfiguration) { writer in
            WebSocketCallbacks(onMessage: { writer.enqueue($0) }, onClose: { _ in })
        }
        var app = App()
        app.use { request, next in
            request.head.isUpgrade ? try upgrader.response(for: request) : try await next(request)
        }
        app.get("/") { _ in
            Response(status: .ok, headers: ["Content-Type": "text/plain"],
                     body: .bytes(.init(string: "websocket-echo-server: connect with a WebSocket client\n")))
        }
        let server = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: host, port: port))
        try await server.start()
        print("websocket-echo-server listening on \(host):\(port)")
        try await server.run()
    }

    /// Limits large enough for Autobahn's 16 MiB messages; origins unchecked (a test server).
    static var webSocketConfiguration: WebSocketConfiguration {
        WebSocketConfiguration(
            maxFrameSize: 16 << 20, maxMessageSize: 16 << 20,
            compression: PerMessageDeflateConfiguration(), originPolicy: .any,
            autoPing: .disabled, closeTimeout: .seconds(5))
    }
}
