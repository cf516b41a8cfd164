import HTTPCore

/// Settings of an `EngineIOServer`: where it listens, the session settings, CORS, and which
/// handshakes are accepted.
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

    /// Settings with Engine.IO's defaults, each overridable.
    public init(
        path: String = "/socket.io/",
        engine: EngineIOConfiguration = EngineIOConfiguration(),
        transports: Set<EngineIOTransport> = [.polling, .websocket],
        cors: CORSMiddleware? = nil,
        allowedOrigins: Set<String>? = nil,
        allowRequest: (@Sendable (Request) async -> EngineIOAdmission)? = nil
    ) {
        self.path = path
        self.engine = engine
        self.transports = transports
        self.cors = cors
        self.allowedOrigins = allowedOrigins
        self.allowRequest = allowRequest
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
