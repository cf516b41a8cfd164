// websocket-echo-server: echoes every text and binary message, with permessage-deflate on.
// Used by the Autobahn conformance run (scripts/autobahn.sh).
import ArgumentParser
import HTTPCore
import NIOCore
import NIOPosix
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
        let upgrader = WebSocketUpgrader(configuration: Self.webSocketConfiguration) { socket in
            for try await message in socket.messages {
                try await socket.send(message)
            }
        }
        let channel = try await ScratchUpgradeServer.start(host: host, port: port, upgrader: upgrader)
        print("websocket-echo-server listening on \(host):\(port)")
        try await channel.closeFuture.get()
    }

    /// Limits large enough for Autobahn's 16 MiB messages; origins unchecked (a test server).
    static var webSocketConfiguration: WebSocketConfiguration {
        WebSocketConfiguration(
            maxFrameSize: 16 << 20, maxMessageSize: 16 << 20,
            compression: PerMessageDeflateConfiguration(), originPolicy: .any,
            autoPing: .disabled, closeTimeout: .seconds(5))
    }
}
