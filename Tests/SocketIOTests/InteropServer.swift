import HTTPCore
import JavaScriptFormats
import NIOConcurrencyHelpers
import NIOCore
import SocketIO
import Testing

/// A SocketIOServer on an ephemeral port with the handlers the interop scenarios use, recording
/// every disconnect reason by socket id.
final class InteropServer: Sendable {
    let io: SocketIOServer
    let http: HTTPServer
    let url: String
    private let reasons = NIOLockedValueBox([String: String]())

    private init(io: SocketIOServer, http: HTTPServer, url: String) {
        self.io = io
        self.http = http
        self.url = url
    }

    /// `allowEIO3` also serves Engine.IO v3 clients (EngineIOV3InteropTests).
    static func start(allowEIO3: Bool = false) async throws -> InteropServer {
        let configuration = SocketIOServerConfiguration(
            engine: EngineIOServerConfiguration(
                // A pong may be up to 2 s late: the Python client runs alongside the whole test suite,
                // and the engine's timers (on dispatch threads) are punctual even when the machine is not.
                // python-engineio 3 gives up when a pong is not back within one pingInterval: 1 s
                // for its sessions, so that a loaded machine's slow polling round trip is not that.
                engine: EngineIOConfiguration(
                    pingInterval: .milliseconds(allowEIO3 ? 1000 : 300), pingTimeout: .seconds(2),
                    allowEIO3: allowEIO3)),
            connection: SocketIOConnection.Configuration(connectTimeout: .seconds(2)))
        let io = SocketIOServer(configuration: configuration)
        var app = App()
        io.attach(to: &app)
        let http = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0))
        try await http.start()
        let port = try #require(http.localAddress?.port)
        let server = InteropServer(io: io, http: http, url: "http://127.0.0.1:\(port)")
        server.installHandlers()
        return server
    }

    func stop() async { await http.shutdown() }

    /// The disconnect reason of a socket, once it disconnected (waits up to `timeout`).
    func disconnectReason(of socketID: String, timeout: Duration = .seconds(3)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let reason = reasons.withLockedValue({ $0[socketID] }) { return reason }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    private func installHandlers() {
        let reasons = self.reasons
        io.onConnection { socket in
            socket.onDisconnect { reason in reasons.withLockedValue { $0[socket.id] = reason.rawValue } }
            let cookie: SocketIOValue = socket.handshake.cookieHeader.map { .string($0) } ?? .null
            socket.emit(
                "welcome", ["cookie": cookie, "auth": socket.handshake.auth ?? .null, "id": .string(socket.id)])
            socket.on("echo") { arguments, ack in ack?(arguments: arguments) }
            socket.on("binary") { arguments, ack in ack?(arguments: arguments) }
            socket.on("push-bytes") { _, _ in
                socket.emit("bytes", .attachment(ByteBuffer(bytes: [9, 8, 7])), "with text")
            }
            socket.on("ask") { arguments, ack in
                let answer = try? await socket.emitWithAck("question", arguments: arguments, timeout: .seconds(5))
                ack?(arguments: answer ?? ["no answer"])
            }
            socket.on("join") { arguments, ack in
                await socket.join(arguments.first?.stringValue ?? "")
                ack?()
            }
            socket.on("shout") { arguments, ack in
                let object = arguments.first?.objectValue
                await socket.to(object?["room"]?.stringValue ?? "").emit("shouted", object?["text"] ?? .null)
                ack?()
            }
            socket.on("shout-all") { arguments, ack in
                await socket.broadcast.emit("shouted", arguments: arguments)
                ack?()
            }
        }
        let admin = io.of("/admin")
        admin.use { handshake in
            handshake.auth?.objectValue?["token"] == "secret" ? .allow : .refuse("Not authorized", data: ["code": 401])
        }
        admin.onConnection { socket in
            socket.on("echo") { arguments, ack in ack?(arguments: arguments) }
        }
        io.of("/locked").use { _ in .refuse("Not authorized") }
    }
}
