import RedisStore
import SesiorUsers
import SessionKit

/// What the example's routes need: the session lifecycle (on a `RedisSessionStore`), the user
/// name registry shared with `sesior`, and the Redis client for `GET /health`.
public struct SessionsServices: Sendable {
    /// Loads and commits sessions.
    public let lifecycle: SessionLifecycle
    /// Who holds which user name (`sesior:users`).
    public let users: RedisUserRegistry
    /// The Redis behind both, PINGed by `GET /health`.
    public let redis: any RedisClient

    /// Services over `lifecycle`, `users` and `redis`.
    public init(lifecycle: SessionLifecycle, users: RedisUserRegistry, redis: any RedisClient) {
        self.lifecycle = lifecycle
        self.users = users
        self.redis = redis
    }

    /// The store behind `lifecycle`.
    public var sessionStore: any SessionStore { lifecycle.configuration.store }
}
