import HTTPCore
import SocketIO
import WebSocketCore

/// The two test servers, with the settings the official suites assume: pingInterval 300 ms,
/// pingTimeout 200 ms, maxPayload 1e6, CORS for any origin; the command's flags change them.
enum ConformanceServers {
    /// The settings the official suites assume.
    static let engineSettings = EngineIOConfiguration(
        pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200), maxPayload: 1_000_000)

    /// The Engine.IO server settings at `path` built from `options`.
    static func serverSettings(path: String, options: Options) -> EngineIOServerConfiguration {
        EngineIOServerConfiguration(
            path: path, engine: options.engine, transports: options.transports,
            cors: CORSMiddleware(allowedOrigins: .any),
            perMessageDeflate: options.perMessageDeflate
                ? PerMessageDeflateConfiguration(minimumCompressedMessageSize: 1024) : nil,
            httpCompression: options.httpCompression ? EngineIOHTTPCompression() : nil)
    }

    /// socket.io's server options the command exposes (its defaults are the suites' settings).
    struct Options: Sendable {
        /// Heartbeat, maxHttpBufferSize, upgradeTimeout.
        var engine = ConformanceServers.engineSettings
        /// Transports clients may use.
        var transports: Set<EngineIOTransport> = [.polling, .websocket]
        /// permessage-deflate for messages of 1024 bytes or more.
        var perMessageDeflate = false
        /// gzip/deflate of polling responses of 1024 bytes or more.
        var httpCompression = true
    }

    /// Engine.IO at `/engine.io/`: every message is sent back unchanged (text and binary).
    static func engineIO(options: Options = Options()) -> EngineIOServer {
        let configuration = serverSettings(path: "/engine.io/", options: options)
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
    static func socketIO(options: Options = Options()) -> SocketIOServer {
        let configuration = SocketIOServerConfiguration(
            engine: serverSettings(path: "/socket.io/", options: options),
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
