import CoreMetrics
import Logging
import RedisStore
import SessionKit
import SesiorUsers

/// Where sessions and the user list live: Redis (shared by instances, survives restarts) or this
/// process's memory.
struct SessionBackend: Sendable {
    /// The session store.
    let store: any SessionStore
    /// The user registry kept next to it.
    let users: any UserRegistry
    /// Checks the store's reachability.
    let health: StoreHealth
    /// For the start-up line, e.g. `redis 127.0.0.1:6379/0` (no credentials) or `memory`.
    let description: String
    /// The Redis pool, closed at shutdown.
    let redis: RedisConnectionPool?

    /// The longest wait between two reconnect attempts while Redis is down.
    static let reconnectMaximumBackoff = Duration.milliseconds(250)

    /// Sessions and users in memory; they do not survive a restart.
    static func memory() -> SessionBackend {
        SessionBackend(
            store: MemoryStore(), users: MemoryUserRegistry(), health: .memory, description: "memory", redis: nil)
    }

    /// Sessions (connect-redis layout) and users (`sesior:users`) in the Redis at `url`. Does not
    /// connect yet: the pool connects on first use and reconnects by itself, at most
    /// `reconnectMaximumBackoff` apart while Redis is down, so requests succeed again within that
    /// time once it is back (RedisStore's default cap of 2 s would let an outage last up to 2 s
    /// longer than Redis's; one connect attempt per 250 ms to a down Redis costs nothing).
    ///
    /// - Throws: `RedisError` for a malformed URL.
    static func redis(url: String, metrics: any MetricsFactory = MetricsSystem.factory) throws -> SessionBackend {
        var configuration = try RedisConfiguration(url: url)
        configuration.connectTimeout = .seconds(2)
        configuration.commandTimeout = .seconds(2)
        configuration.reconnectMaximumBackoff = reconnectMaximumBackoff
        let pool = RedisConnectionPool(configuration: configuration, metrics: metrics)
        return SessionBackend(
            store: RedisSessionStore(client: pool, metrics: metrics), users: RedisUserRegistry(client: pool), health: .redis(pool),
            description: Self.describe(configuration), redis: pool)
    }

    /// `redis host:port/db`, or `redis sentinel <master> via host:port,…/db`, for the start-up line.
    static func describe(_ configuration: RedisConfiguration) -> String {
        guard let sentinel = configuration.sentinel else {
            return "redis \(configuration.host):\(configuration.port)/\(configuration.database)"
        }
        let sentinels = sentinel.sentinels.map { "\($0.host):\($0.port)" }.joined(separator: ",")
        return "redis sentinel \(sentinel.masterName) via \(sentinels)/\(configuration.database)"
    }
}
