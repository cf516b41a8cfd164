import RedisStore
import SesiorTesting
import SocketIO

/// One SocketIOServer instance on the Redis adapter of `redis`, for the tests of several
/// instances sharing one Redis: a short heartbeat so tests end quickly, and a generous query
/// timeout (the machine may be loaded).
enum RedisTestInstance {
    static func make(_ redis: RedisServer, requestTimeout: Duration = .seconds(10)) async throws -> (
        SocketIOServer, SocketIORedisBus, RedisConnectionPool
    ) {
        let pool = try RedisConnectionPool(url: redis.url)
        let bus = try await SocketIORedisBus.start(pool: pool, requestTimeout: requestTimeout)
        let configuration = SocketIOServerConfiguration(
            engine: EngineIOServerConfiguration(
                engine: EngineIOConfiguration(pingInterval: .milliseconds(400), pingTimeout: .seconds(5))),
            adapter: bus.adapterFactory)
        return (SocketIOServer(configuration: configuration), bus, pool)
    }
}
