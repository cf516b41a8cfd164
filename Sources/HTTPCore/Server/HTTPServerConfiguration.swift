import CoreMetrics
import NIOCore

/// Settings of an `HTTPServer`, with defaults suited to a public-facing server.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind. Default `127.0.0.1`.
    public var host: String
    /// The port to bind; 0 picks a free one (read it from `HTTPServer.localAddress`). Default 8080.
    public var port: Int
    /// Limits of the request parser (request line, header section, header count, body size).
    public var parser: HTTPParserConfiguration
    /// How long a keep-alive connection may sit idle between requests before it is closed
    /// (silently). Default 5 s, as Node's `keepAliveTimeout`.
    public var idleTimeout: TimeAmount
    /// How long a request head may take to arrive, from its first byte (or, on a new connection,
    /// from the accept). Past it a partial head is answered `408` and the connection closed; a
    /// connection that sent nothing is closed silently. While a body arrives, the longest silence
    /// between two reads (also answered `408`). Default 10 s (slowloris defence).
    public var headerReadTimeout: TimeAmount
    /// The most connections served at once. A connection accepted beyond it is closed at once,
    /// without a response. Default 10 000.
    public var maxConnections: Int
    /// The listen backlog. Default 256.
    public var backlog: Int
    /// How long a graceful shutdown waits for in-flight requests before closing their
    /// connections. Default 10 s.
    public var shutdownTimeout: TimeAmount
    /// Where route handlers run. Default `.eventLoop`.
    public var handlerExecution: HandlerExecution
    /// Handlers put in front of HTTP on each connection, such as TLS (see `HTTPCoreTLS`).
    /// Default nil: plain HTTP.
    public var connectionSetup: HTTPConnectionSetup?
    /// The proxies whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed, as Express's
    /// `trust proxy` (see `Request.isSecure` and `Request.clientAddress`). Default: none.
    public var trustedProxies: TrustedProxies
    /// Where the server reports `http_server_open_connections` (a swift-metrics `Meter`).
    /// Default `MetricsSystem.factory`: whatever backend the process bootstrapped, or none.
    public var metrics: any MetricsFactory

    /// A configuration with the documented defaults, changed by the arguments given.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        parser: HTTPParserConfiguration = HTTPParserConfiguration(),
        idleTimeout: TimeAmount = .seconds(5),
        headerReadTimeout: TimeAmount = .seconds(10),
        maxConnections: Int = 10_000,
        backlog: Int = 256,
        shutdownTimeout: TimeAmount = .seconds(10),
        handlerExecution: HandlerExecution = .eventLoop,
        connectionSetup: HTTPConnectionSetup? = nil,
        trustedProxies: TrustedProxies = .none,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.host = host
        self.port = port
        self.parser = parser
        self.idleTimeout = idleTimeout
        self.headerReadTimeout = headerReadTimeout
        self.maxConnections = maxConnections
        self.backlog = backlog
        self.shutdownTimeout = shutdownTimeout
        self.handlerExecution = handlerExecution
        self.connectionSetup = connectionSetup
        self.trustedProxies = trustedProxies
        self.metrics = metrics
    }

    /// Where the tasks that run the responder for each request execute.
    public struct HandlerExecution: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            case eventLoop
            case globalExecutor
        }

        let kind: Kind

        /// On the connection's event loop (a task executor preference): a handler that does not
        /// hop elsewhere runs without any thread switch. Handlers must not block.
        public static let eventLoop = HandlerExecution(kind: .eventLoop)
        /// On Swift's global concurrent executor: one hop there and back per request; use it
        /// when handlers may do CPU-heavy work.
        public static let globalExecutor = HandlerExecution(kind: .globalExecutor)
    }
}
