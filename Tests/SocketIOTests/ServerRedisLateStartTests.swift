import HTTPCore
import RedisStore
import SesiorTesting
import SocketIO
import NIOConcurrencyHelpers
import Testing

/// `SocketIORedisBus.connecting`: a server starts while Redis is down and catches up once it
/// comes.
struct ServerRedisLateStartTests {
    private static func server(adapter: @escaping SocketIOServerConfiguration.AdapterFactory) -> SocketIOServer {
        SocketIOServer(configuration: SocketIOServerConfiguration(
            engine: EngineIOServerConfiguration(
                engine: EngineIOConfiguration(pingInterval: .seconds(60), pingTimeout: .seconds(60))),
            adapter: adapter))
    }

    @Test func startsWithoutRedisAndCatchesUpWhenItComes() async throws {
        try await RedisServer.withRunning { redis in
            await redis.kill()
            let failures = NIOLockedValueBox(0)
            let poolA = try RedisConnectionPool(url: redis.url)
            let busA = await SocketIORedisBus.connecting(pool: poolA, retryDelay: .milliseconds(50)) { _ in
                failures.withLockedValue { $0 += 1 }
            }
            defer { busA.stop() }
            let ioA = Self.server(adapter: busA.adapterFactory)
            let onA = try await ServerPollingClient.connect(ioA.engine)
            #expect(!busA.isSubscribed)
            await #expect(throws: SocketIOAdapterError.self) { try await ioA.main.fetchSockets() }
            #expect(try await eventually { failures.withLockedValue { $0 } >= 1 })

            try await redis.restart()
            #expect(try await eventually { busA.isSubscribed })
            let poolB = try RedisConnectionPool(url: redis.url)
            let busB = try await SocketIORedisBus.start(pool: poolB)
            defer { busB.stop() }
            let ioB = Self.server(adapter: busB.adapterFactory)
            await ioB.emit("hello", "from B")
            #expect(try await onA.poll() == #"42["hello","from B"]"#)
            #expect(try await ioB.main.fetchSockets().count == 1)
            await poolA.close()
            await poolB.close()
        }
    }

    @Test func stopEndsTheAttempts() async throws {
        try await RedisServer.withRunning { redis in
            await redis.kill()
            let failures = NIOLockedValueBox(0)
            let pool = try RedisConnectionPool(url: redis.url)
            let bus = await SocketIORedisBus.connecting(pool: pool, retryDelay: .milliseconds(50)) { _ in
                failures.withLockedValue { $0 += 1 }
            }
            #expect(try await eventually { failures.withLockedValue { $0 } >= 1 })
            bus.stop()
            try await redis.restart()
            try await Task.sleep(for: .seconds(2))
            #expect(!bus.isSubscribed)
            await pool.close()
        }
    }
}
