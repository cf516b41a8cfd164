/// How the example server is started; the defaults match `sesior`'s, so the two share sessions
/// when given the same Redis and secret.
public struct SessionsConfiguration: Sendable {
    /// Address to listen on. Default `127.0.0.1`.
    public var host: String
    /// Port to listen on; 0 picks a free one. Default 8080.
    public var port: Int
    /// `redis://[user:password@]host:port/db` holding the sessions and the user registry.
    public var redisURL: String
    /// Cookie signing secrets, the first signs, any verifies. Must equal (or overlap) `sesior`'s.
    public var secrets: [String]
    /// Session cookie name. Default `connect.sid`.
    public var cookieName: String
    /// Session cookie lifetime in seconds; nil gives a browser-session cookie. Default nil.
    public var sessionMaxAge: Int?

    /// A configuration; every optional parameter has the default documented on its property.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, redisURL: String, secrets: [String],
        cookieName: String = "connect.sid", sessionMaxAge: Int? = nil
    ) {
        self.host = host
        self.port = port
        self.redisURL = redisURL
        self.secrets = secrets
        self.cookieName = cookieName
        self.sessionMaxAge = sessionMaxAge
    }
}
