import HTTPCore
import SocketIO

/// The two test servers, with the settings the official suites assume: pingInterval 300 ms,
/// pingTimeout 200 ms, maxPayload 1e6, CORS for any origin.
enum ConformanceServers {
    static let engineSettings = EngineIOConfiguration(
        pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200), maxPayload: 1_000_000)

    /// Engine.IO at `/engine.io/`: every message is sent back unchanged (text and binary).
    static func engineIO() -> EngineIOServer {
        let configuration = EngineIOServerConfiguration(
            path: "/engine.io/", engine: engineSettings, cors: CORSMiddleware(allowedOrigins: .any))
        return EngineIOServer(configuration: configuration) { socket in
            Task {
                for await event in socket.events {
                    if case .message(let data) = event {
                        socket.send([EngineIOPacket(type: .message, data: data)])
                    }
                }
            }
        }
    }

    /// Socket.IO at `/socket.io/` with `/` and `/custom`: emits `auth` with the handshake auth on
    /// connection, answers `message` with `message-back`, acks `message-with-ack` with its arguments.
    static func socketIO() -> SocketIOServer {
        let configuration = SocketIOServerConfiguration(
            engine: EngineIOServerConfiguration(
                path: "/socket.io/", engine: engineSettings, cors: CORSMiddleware(allowedOrigins: .any)),
            connection: SocketIOConnection.Configuration(connectTimeout: .milliseconds(1000)))
        let io = SocketIOServer(configuration: configuration)
        for name in ["/", "/custom"] {
            io.of(name).onConnection { socket in
                socket.emit("auth", socket.handshake.auth ?? .object([:]))
                socket.on("message") { arguments, _ in socket.emit("message-back", arguments: arguments) }
                socket.on("message-with-ack") { arguments, ack in ack?(arguments: arguments) }
            }
        }
        return io
    }
}
