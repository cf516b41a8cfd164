import SessionKit

/// How `RedisSessionStore` lays sessions out in Redis; the defaults match connect-redis.
public struct RedisSessionStoreConfiguration: Sendable {
    /// Prepended to the session id to form the key. Default `sess:`.
    public var prefix: String
    /// Lifetime in seconds of a session whose cookie has no expiry. Default 86400 (one day).
    public var ttl: Int
    /// When true, `touch` does nothing (connect-redis `disableTouch`). Default false.
    public var disableTouch: Bool
    /// When true, sessions are written without expiry and `touch` does nothing
    /// (connect-redis `disableTTL`). Default false.
    public var disableTTL: Bool
    /// The `COUNT` hint of each `SCAN` and the batch size of `MGET`/`UNLINK`. Default 100.
    public var scanCount: Int
    /// Compare-and-set attempts of one `update` before it fails with a conflict. Default 50.
    public var maximumUpdateAttempts: Int
    /// The source of "now" for TTLs and for hiding sessions whose cookie expired. Default: system clock.
    public var clock: SessionClock

    /// Creates a configuration; every parameter has the default documented on its property.
    public init(
        prefix: String = "sess:",
        ttl: Int = 86400,
        disableTouch: Bool = false,
        disableTTL: Bool = false,
        scanCount: Int = 100,
        maximumUpdateAttempts: Int = 50,
        clock: SessionClock = .system
    ) {
        self.prefix = prefix
        self.ttl = ttl
        self.disableTouch = disableTouch
        self.disableTTL = disableTTL
        self.scanCount = max(1, scanCount)
        self.maximumUpdateAttempts = max(1, maximumUpdateAttempts)
        self.clock = clock
    }
}
