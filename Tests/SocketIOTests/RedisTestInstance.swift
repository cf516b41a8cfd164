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
        let pool = try RedisConnectionPool(url: redis.url)
        let bus = try await SocketIORedisBus.start(pool: pool, requestTimeout: requestTimeout)
        let configuration = SocketIOServerConfiguration(
            engine: EngineIOServerConfiguration(
                engine: EngineIOConfiguration(pingInterval: .milliseconds(400), pingTimeout: .seconds(60))),
            adapter: bus.adapterFactory)
        return (SocketIOServer(configuration: configuration), bus, pool)
    }
}
