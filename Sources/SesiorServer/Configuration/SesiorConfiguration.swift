import Logging
import SocketIO

/// Everything one `sesior` instance is started with; built from flags and environment variables
/// (`SesiorOptions`) or directly by a test. Each property documents its default.
struct SesiorConfiguration: Sendable {
    /// The address to listen on. Default `127.0.0.1`.
    var host = "127.0.0.1"
    /// The port to listen on; 0 picks a free one. Default 7331.
    var port = 7331
    /// `redis://[user:password@]host:port/db`; nil keeps sessions and users in memory. Default nil.
    var redisURL: String?
    /// Cookie signing secrets, the first signs; nil uses the generated secret kept in
    /// `runDirectory/secret`. Default nil.
    var secrets: [String]?
    /// Where run-time files (the generated secret) live. Default `run`.
    var runDirectory = "run"
    /// The session cookie's name. Default `connect.sid`.
    var cookieName = "connect.sid"
    /// Origins (scheme://host[:port]) allowed to call the API with credentials. Default none.
    var corsOrigins: [String] = []
    /// Session cookie lifetime in seconds; nil gives a browser-session cookie. Default nil.
    var sessionMaxAge: Int?
    /// Minimum level logged. Default `info`.
    var logLevel: Logger.Level = .info
    /// The folder of the web client; nil serves the copy bundled with the executable. Default nil.
    var publicDirectory: String?
    /// This instance's id in logs and `/health`; nil picks a random one. Default nil.
    var instanceID: String?
    /// How long a request head may take to arrive (slowloris defence), in seconds. Default 10.
    var headerReadTimeout: Double = 10
    /// How long a keep-alive connection may sit idle between requests, in seconds. Default 5.
    var idleTimeout: Double = 5
    /// How often Engine.IO pings each socket, in seconds. Default 25.
    var pingInterval: Double = 25
    /// How long Engine.IO waits for the pong before dropping the socket, in seconds. Default 20.
    var pingTimeout: Double = 20
    /// PEM certificate chain and private key: serve https and wss instead of http. Default nil.
    var tlsCertificatePath: String?
    /// The private key that goes with `tlsCertificatePath`.
    var tlsKeyPath: String?
    /// Proxies whose X-Forwarded-Proto / X-Forwarded-For are believed (Express's `trust proxy`).
    var trustedProxies: [String] = []
    /// How long a WebSocket upgrade may take to complete, in seconds (socket.io's
    /// `upgradeTimeout`). Default 10.
    var upgradeTimeout: Double = 10
    /// The largest polling POST body or WebSocket message a socket may send, in bytes (socket.io's
    /// `maxHttpBufferSize`). Default 1,000,000.
    var maxHttpBufferSize = 1_000_000
    /// The Engine.IO transports clients may use (socket.io's `transports`). Default both.
    var transports: Set<EngineIOTransport> = [.polling, .websocket]
    /// permessage-deflate on the socket WebSocket, for messages of 1024 bytes or more (socket.io's
    /// `perMessageDeflate`). Default off.
    var perMessageDeflate = false
    /// Whether Engine.IO v3 clients (socket.io 2.x) are served too (socket.io's `allowEIO3`).
    /// Default off.
    var allowEIO3 = false
    /// Prometheus metrics at `GET /metrics` (as prom-client users expect). Default on.
    var metrics = true
    /// Which `@socket.io/redis-adapter` variant the socket layer speaks on Redis (with
    /// `redisURL` only). Default classic.
    var socketAdapter = SocketAdapter.classic

    /// The Redis adapter of the socket layer.
    enum SocketAdapter: Sendable, Equatable {
        /// `createAdapter`: PUBLISH/SUBSCRIBE on `<prefix>#<nsp>#` and the request channels.
        case classic
        /// `createShardedAdapter`: SPUBLISH/SSUBSCRIBE (Redis 7 or later), with its
        /// `subscriptionMode`.
        case sharded(SocketIOShardedRedisBus.SubscriptionMode)
    }

    /// A configuration with every default.
    init() {}
}
