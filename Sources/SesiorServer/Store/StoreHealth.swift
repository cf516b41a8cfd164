import RedisStore

/// Whether the backing store answers: a Redis `PING`, or nothing to check for the memory store.
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

    private let redis: (any RedisClient)?

    /// Checks nothing: the memory store is always there.
    static let memory = StoreHealth(redis: nil)

    /// Checks `client` with PING.
    static func redis(_ client: any RedisClient) -> StoreHealth { StoreHealth(redis: client) }

    /// PINGs Redis (failing fast while it is down, see `RedisConnectionPool`).
    func check() async -> Status {
        guard let redis else { return .disabled }
        do {
            let reply = try await redis.send("PING")
            return reply == .simpleString("PONG") ? .up : .down
        } catch {
            return .down
        }
    }
}
