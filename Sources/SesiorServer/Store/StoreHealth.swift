import RedisStore
import Synchronization

/// Whether the backing store answers: a Redis `PING`, or nothing to check for the memory store.
///
/// `GET /health` uses `current()`, which PINGs Redis at most once per `maximumAge` however many
/// requests ask (a load balancer or a benchmark polling `/health` must not add a Redis round trip
/// per request); in between it answers the last result. A cached "up" is re-checked at once when
/// the pool has lost every connection, and a cached "down" when a connection is open again, so an
/// outage and a recovery both show without waiting for the cache.
struct StoreHealth: Sendable {
    /// The outcome of one check.
    enum Status: Sendable, Equatable {
        /// No Redis configured (memory store).
        case disabled
        /// Redis answered PING.
        case up
        /// Redis is configured but did not answer.
        case down
    }

    /// How long a PING result is reused by `current()`.
    static let maximumAge = Duration.seconds(1)

    private let redis: (any RedisClient)?
    /// Whether the client still has an open connection (a pool's `openConnectionCount > 0`).
    private let isConnected: @Sendable () -> Bool
    private let cache: Cache

    /// Checks nothing: the memory store is always there.
    static let memory = StoreHealth(redis: nil, isConnected: { true })

    /// Checks `pool` with PING.
    static func redis(_ pool: RedisConnectionPool) -> StoreHealth {
        StoreHealth(redis: pool, isConnected: { pool.openConnectionCount > 0 })
    }

    private init(redis: (any RedisClient)?, isConnected: @escaping @Sendable () -> Bool) {
        self.redis = redis
        self.isConnected = isConnected
        self.cache = Cache()
    }

    /// PINGs Redis now (failing fast while it is down, see `RedisConnectionPool`).
    func check() async -> Status {
        guard let redis else { return .disabled }
        let status: Status
        do {
            let reply = try await redis.send("PING")
            status = reply == .simpleString("PONG") ? .up : .down
        } catch {
            status = .down
        }
        cache.store(status, at: .now)
        return status
    }

    /// The last result when it is younger than `maximumAge` (and, if "up", the pool is still
    /// connected); otherwise a fresh `check()`. While one request re-checks, others get the last
    /// result instead of sending PINGs of their own.
    func current() async -> Status {
        guard redis != nil else { return .disabled }
        switch cache.lookup(now: .now, maximumAge: Self.maximumAge, isConnected: isConnected) {
        case .fresh(let status): return status
        case .refresh: return await check()
        }
    }

    /// The last PING result and whether a re-check is running.
    private final class Cache: Sendable {
        enum Lookup {
            case fresh(Status)
            case refresh
        }

        private struct State {
            var status: Status?
            var checkedAt = ContinuousClock.Instant.now
            var refreshing = false
        }

        private let state = Mutex(State())

        func lookup(now: ContinuousClock.Instant, maximumAge: Duration, isConnected: () -> Bool) -> Lookup {
            state.withLock { state in
                guard let status = state.status else { return .refresh }
                // A result the pool's state contradicts is re-checked at once: "up" with every
                // connection lost, or "down" with a connection open again.
                let connected = isConnected()
                let contradicted = (status == .up && !connected) || (status == .down && connected)
                if !contradicted && now - state.checkedAt < maximumAge { return .fresh(status) }
                if state.refreshing && !contradicted { return .fresh(status) }
                state.refreshing = true
                return .refresh
            }
        }

        func store(_ status: Status, at instant: ContinuousClock.Instant) {
            state.withLock { state in
                state.status = status
                state.checkedAt = instant
                state.refreshing = false
            }
        }
    }
}
