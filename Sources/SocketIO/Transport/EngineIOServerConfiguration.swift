import CoreMetrics
import HTTPCore
import WebSocketCore

/// Settings of an `EngineIOServer`: where it listens, the session settings, CORS, compression, and
/// which handshakes are accepted.
///
/// socket.io's server options and where they live here (same defaults): `path` (`/socket.io/`),
/// `pingInterval` (25 s), `pingTimeout` (20 s), `upgradeTimeout` (10 s), `maxHttpBufferSize`
/// (1e6 bytes, `EngineIOConfiguration.maxPayload`), `allowUpgrades` (true) in `engine`;
/// `transports` (both), `cors` (none), `allowRequest` (none), `perMessageDeflate` (off),
/// `httpCompression` (on, threshold 1024 bytes) here; `allowEIO3` (off) in `engine`, next to the
/// heartbeat it changes.
public struct EngineIOServerConfiguration: Sendable {
    /// The request path the server answers (default `/socket.io/`; a request to the same path
    /// without the trailing slash is answered too).
    public var path: String
    /// Heartbeat, maxPayload and upgrade settings of every session.
    public var engine: EngineIOConfiguration
    /// Transports clients may use (default both).
    public var transports: Set<EngineIOTransport>
    /// CORS applied to Engine.IO's HTTP answers (polling and handshakes), or nil for none.
    /// Use `CORSMiddleware(allowedOrigins: .list([...]), allowCredentials: true)` for an
    /// application's origin allow-list with cookies.
    public var cors: CORSMiddleware?
    /// Origins whose handshakes are accepted, or nil (default) for any. With a list, a handshake
    /// whose `Origin` header is neither listed nor the request's own origin (`http(s)://<Host>`)
    /// is refused with HTTP 403 `{"code":4,"message":"Forbidden"}`; a handshake without `Origin`
    /// (not a browser) is accepted. Checked before `allowRequest`.
    public var allowedOrigins: Set<String>?
    /// Called with every handshake request (polling GET or WebSocket upgrade without a `sid`:
    /// headers, cookies, `remoteAddress`, extensions set by earlier middleware) before a session
    /// is created, as engine.io's `allowRequest`; `.refuse` answers HTTP 403
    /// `{"code":4,"message":"Forbidden"}` (or `.refuse(message:)`'s message), on every transport.
    /// Nil (default) allows all.
    public var allowRequest: (@Sendable (Request) async -> EngineIOAdmission)?
    /// permessage-deflate (RFC 7692) on the Engine.IO WebSocket, or nil (default, as socket.io 4's
    /// `perMessageDeflate: false`). Messages shorter than `minimumCompressedMessageSize` go
    /// uncompressed: socket.io's `perMessageDeflate: true` is
    /// `PerMessageDeflateConfiguration(minimumCompressedMessageSize: 1024)` (`ws`'s threshold).
    public var perMessageDeflate: PerMessageDeflateConfiguration?
    /// gzip/deflate of polling responses (engine.io's `httpCompression`); default on, bodies of
    /// 1024 bytes or more; nil turns it off.
    public var httpCompression: EngineIOHTTPCompression?
    /// Where the server reports `engineio_sessions{transport}` (and a `SocketIOServer` built on
    /// it its Socket.IO series). Default `MetricsSystem.factory`: the bootstrapped backend, or none.
    public var metrics: any MetricsFactory

    /// Settings with Engine.IO's defaults, each overridable.
    public init(
        path: String = "/socket.io/",
        engine: EngineIOConfiguration = EngineIOConfiguration(),
        transports: Set<EngineIOTransport> = [.polling, .websocket],
        cors: CORSMiddleware? = nil,
        allowedOrigins: Set<String>? = nil,
        allowRequest: (@Sendable (Request) async -> EngineIOAdmission)? = nil,
        perMessageDeflate: PerMessageDeflateConfiguration? = nil,
        httpCompression: EngineIOHTTPCompression? = EngineIOHTTPCompression(),
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.perMessageDeflate = perMessageDeflate
        self.httpCompression = httpCompression
        self.path = path
        self.engine = engine
        self.transports = transports
        self.cors = cors
        self.allowedOrigins = allowedOrigins
        self.allowRequest = allowRequest
        self.metrics = metrics
    }

    /// `response` with its body compressed when `httpCompression` and the request's
    /// `Accept-Encoding` allow it and the body reaches the threshold.
    func compressed(_ response: Response, for request: Request) -> Response {
        guard let httpCompression, response.status == .ok, case .bytes(let body) = response.body,
            body.readableBytes >= httpCompression.threshold,
            let encoding = EngineIOHTTPCompression.encoding(forAcceptEncoding: request.headers["Accept-Encoding"])
        else { return response }
        var compressed = response
        compressed.body = .bytes(EngineIOHTTPCompression.compress(body, with: encoding))
        compressed.headers.replaceOrAdd(name: "Content-Encoding", value: encoding.rawValue)
        return compressed
    }

    /// Why the handshake `request` may not open a session (the origin allow-list, then
    /// `allowRequest`), or nil when it may.
    func refusal(of request: Request) async -> EngineIOHTTPError? {
        if let allowedOrigins, let origin = request.headers["Origin"], !allowedOrigins.contains(origin) {
            guard let host = request.headers["Host"], origin == "http://\(host)" || origin == "https://\(host)" else {
                return .forbidden
            }
        }
        guard let allowRequest else { return nil }
        return await allowRequest(request).refusal
    }
}
