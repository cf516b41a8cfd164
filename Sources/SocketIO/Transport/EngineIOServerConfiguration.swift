import HTTPCore

/// Settings of an `EngineIOServer`: where it listens, the session settings, and CORS.
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

    /// Settings with Engine.IO's defaults, each overridable.
    public init(
        path: String = "/socket.io/",
        engine: EngineIOConfiguration = EngineIOConfiguration(),
        transports: Set<EngineIOTransport> = [.polling, .websocket],
        cors: CORSMiddleware? = nil
    ) {
        self.path = path
        self.engine = engine
        self.transports = transports
        self.cors = cors
    }
}
