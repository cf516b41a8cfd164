import Testing
import RedisStore
import SesiorTesting
import SocketIO

/// One SocketIOServer instance on the Redis adapter of `redis`, for the tests of several
/// instances sharing one Redis: a short heartbeat so tests end quickly, and a generous pong and
/// query timeout. (The server's timers run on event loops, on time, while a loaded machine or
/// tests blocking the concurrency pool may hold the test's own tasks up for seconds.)
enum RedisTestInstance {
    static func make(_ redis: RedisServer, requestTimeout: Duration = .seconds(10)) async throws -> (
        SocketIOServer, SocketIORedisBus, RedisConnectionPool
    ) {
        let (io, bus, pool) = try await make(redis, requestTimeout: requestTimeout, adapter: .classic)
        return (io, bus as! SocketIORedisBus, pool)
    }

    /// Which bus an instance's Redis adapter runs on.
    enum Adapter: Sendable, CustomTestStringConvertible {
        /// `SocketIORedisBus` (`createAdapter`).
        case classic
        /// `SocketIOShardedRedisBus` (`createShardedAdapter`) in a subscription mode.
        case sharded(SocketIOShardedRedisBus.SubscriptionMode)

        static let all: [Adapter] = [.classic, .sharded(.dynamic), .sharded(.static), .sharded(.dynamicPrivate)]

        var testDescription: String {
            switch self {
            case .classic: "classic"
            case .sharded(let mode): "sharded \(mode.rawValue)"
            }
        }
    }

    /// An instance on the bus `adapter` names.
    static func make(_ redis: RedisServer, requestTimeout: Duration = .seconds(10), adapter: Adapter) async throws -> (
        SocketIOServer, any SocketIOClusterBus, RedisConnectionPool
    ) {
        let pool = try RedisConnectionPool(url: redis.url)
        let bus: any SocketIOClusterBus
        let factory: SocketIOServerConfiguration.AdapterFactory
        switch adapter {
        case .classic:
            let classic = try await SocketIORedisBus.start(pool: pool, requestTimeout: requestTimeout)
            (bus, factory) = (classic, classic.adapterFactory)
        case .sharded(let mode):
            let sharded = try await SocketIOShardedRedisBus.start(
                pool: pool, subscriptionMode: mode, requestTimeout: requestTimeout)
            (bus, factory) = (sharded, sharded.adapterFactory)
        }
        let configuration = SocketIOServerConfiguration(
            engine: EngineIOServerConfiguration(
                engine: EngineIOConfiguration(pingInterval: .milliseconds(400), pingTimeout: .seconds(60))),
            adapter: factory)
        return (SocketIOServer(configuration: configuration), bus, pool)
    }
}
