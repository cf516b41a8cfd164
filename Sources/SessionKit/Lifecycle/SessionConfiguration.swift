import CoreMetrics

/// Options of a `SessionLifecycle`, named and defaulted as express-session's options.
public struct SessionConfiguration: Sendable {
    /// Name of the session cookie (default `connect.sid`).
    public var name: String
    /// Secrets for signing the cookie: the first signs, any verifies (rotate by prepending). Never empty.
    public var secrets: [String]
    /// Cookie settings for new sessions.
    public var cookie: SessionCookieOptions
    /// Save the session at the end of every request even when unmodified (express-session default: true).
    public var resave: Bool
    /// Store (and send the cookie of) a new session even when nothing was put in it (default: true).
    public var saveUninitialized: Bool
    /// Send the cookie on every response, restarting its expiry (default: false).
    public var rolling: Bool
    /// What happens to the stored session when the handler unsets it (default: keep).
    public var unset: UnsetBehavior
    /// Makes new session ids (default: `SessionID.generate`, 24 random bytes as base64url).
    public var generateID: @Sendable () -> String
    /// Where sessions are kept (default: a fresh `MemoryStore`).
    public var store: any SessionStore
    /// Source of "now" for cookie expiry (default: the system clock).
    public var clock: SessionClock
    /// Where `session_loads_total` and `session_saves_total` are reported (default
    /// `MetricsSystem.factory`: whatever backend the process bootstrapped, or none).
    public var metrics: any MetricsFactory

    /// A configuration; each parameter defaults to express-session's default.
    ///
    /// - Precondition: `secrets` is not empty.
    public init(
        name: String = "connect.sid",
        secrets: [String],
        cookie: SessionCookieOptions = SessionCookieOptions(),
        resave: Bool = true,
        saveUninitialized: Bool = true,
        rolling: Bool = false,
        unset: UnsetBehavior = .keep,
        generateID: @escaping @Sendable () -> String = { SessionID.generate() },
        store: any SessionStore = MemoryStore(),
        clock: SessionClock = .system,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        precondition(!secrets.isEmpty, "sessions need at least one secret")
        self.name = name
        self.secrets = secrets
        self.cookie = cookie
        self.resave = resave
        self.saveUninitialized = saveUninitialized
        self.rolling = rolling
        self.unset = unset
        self.generateID = generateID
        self.store = store
        self.clock = clock
        self.metrics = metrics
    }
}

extension SessionConfiguration {
    /// express-session's `unset` option: what to do with the stored session when the handler
    /// unsets the request's session (`Session.unset()`).
    public struct UnsetBehavior: Sendable, Hashable {
        private enum Mode: Sendable, Hashable { case keep, destroy }
        private let mode: Mode

        /// Keep the stored session; changes made during the request are not saved.
        public static let keep = UnsetBehavior(mode: .keep)
        /// Destroy the stored session when the response is committed.
        public static let destroy = UnsetBehavior(mode: .destroy)

        var destroysSession: Bool { mode == .destroy }
    }
}
