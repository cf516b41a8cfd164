import Foundation
import JavaScriptFormats
import MetricsTestKit
import SesiorTesting
import SessionKit
import Synchronization
import Testing

@testable import RedisStore

/// A client that, before the first update script it forwards, overwrites the script's key with
/// another session: the compare-and-set then fails once, deterministically.
final class InterferingClient: RedisClient {
    let pool: RedisConnectionPool
    private let interfered = Mutex(false)

    init(pool: RedisConnectionPool) { self.pool = pool }

    func send(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
        let first = command.arguments.first.map { String(decoding: $0, as: UTF8.self) } == "EVAL"
            && interfered.withLock { done in
                defer { done = true }
                return !done
            }
        if first {
            let key = String(decoding: command.arguments[3], as: UTF8.self)
            try await pool.send("SET", key, #"{"cookie":{"originalMaxAge":null,"httpOnly":true,"path":"/"},"other":1}"#)
        }
        return try await pool.send(command)
    }
}

extension RedisStoreTestSuite {
    @Suite struct RedisMetricsTests {
        @Test("the pool reports commands in use, waiting, open connections and reconnects")
        func pool() async throws {
            try await RedisServer.withRunning { server in
                let metrics = TestMetrics()
                let pool = RedisConnectionPool(
                    configuration: try RedisConfiguration(url: server.url), metrics: metrics)
                try await pool.send("PING")
                let inUse = try metrics.expectMeter("redis_pool_commands_in_use")
                let waiting = try metrics.expectMeter("redis_pool_waiting")
                let connections = try metrics.expectMeter("redis_pool_connections")
                #expect(inUse.lastValue == 0 && inUse.values.contains(1))
                #expect(waiting.lastValue == 0 && waiting.values.contains(1))
                #expect(connections.lastValue == 1)
                let reconnects = try metrics.expectCounter("redis_pool_reconnects_total")
                #expect(reconnects.totalValue == 0)
                let killer = try RedisConnectionPool(url: server.url)
                try await killer.send("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
                #expect(try await eventually { reconnects.totalValue >= 1 && connections.lastValue == 1 })
                await killer.close()
                await pool.close()
            }
        }

        @Test("session_cas_retries_total counts an update repeated after a concurrent write")
        func casRetries() async throws {
            try await RedisServer.withRunning { server in
                let metrics = TestMetrics()
                let pool = try RedisConnectionPool(url: server.url)
                try await pool.send("SET", "sess:s", #"{"cookie":{"originalMaxAge":null,"httpOnly":true,"path":"/"},"n":0}"#)
                let store = RedisSessionStore(client: InterferingClient(pool: pool), metrics: metrics)
                let written = try await store.update("s") { data in data?.values["mine"] = true }
                #expect(written?.values["other"] == .number(1))
                #expect(written?.values["mine"] == .bool(true))
                #expect(try metrics.expectCounter("session_cas_retries_total").totalValue == 1)
                await pool.close()
            }
        }
    }
}

/// Polls `condition` every 20 ms until it holds or 30 s pass; returns whether it held.
private func eventually(_ condition: () async -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
