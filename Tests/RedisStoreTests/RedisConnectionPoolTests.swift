import Foundation
import SesiorTesting
import Testing

@testable import RedisStore

@Suite struct RedisConnectionPoolTests {
    @Test func servesAHundredConcurrentTasks() async throws {
        try await RedisServer.withRunning { server in
            var configuration = try RedisConfiguration(url: server.url)
            configuration.maximumConnections = 4
            let pool = RedisConnectionPool(configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<100 {
                    group.addTask {
                        for step in 0..<50 {
                            try await pool.set("task:\(task)", to: Array("\(step)".utf8))
                            #expect(try await pool.get("task:\(task)") == Array("\(step)".utf8))
                            try await pool.send("INCR", "total")
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await pool.send("GET", "total").int == 5_000)
            #expect((1...4).contains(pool.openConnectionCount))
            let clients = try await pool.send("CLIENT", "LIST").string ?? ""
            #expect(clients.split(separator: "\n").count <= 4)
            await pool.close()
            let closed = await #expect(throws: RedisError.self) { try await pool.send("PING") }
            #expect(closed?.kind == .closed)
        }
    }

    @Test func failsFastWhileDownAndReconnectsAfterRestart() async throws {
        try await RedisServer.withRunning { server in
            var configuration = try RedisConfiguration(url: server.url)
            configuration.minimumConnections = 2
            configuration.reconnectMaximumBackoff = .milliseconds(200)
            let pool = RedisConnectionPool(configuration: configuration)
            try await pool.set("before", to: [1])

            await server.kill()
            let lost = await #expect(throws: RedisError.self) { try await pool.send("PING") }
            #expect(lost?.isUnavailable == true)
            // Give the pool a moment to notice and try to reconnect, then check it fails fast.
            try await Task.sleep(for: .milliseconds(100))
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<20 {
                let down = await #expect(throws: RedisError.self) { try await pool.send("PING") }
                #expect(down?.isUnavailable == true)
                #expect(down?.reason.contains("unavailable") == true || down?.reason.contains("refused") == true)
            }
            #expect(clock.now - start < .milliseconds(500), "commands queued instead of failing fast")

            try await server.restart()
            try await eventually("the pool reconnects after Redis came back") {
                (try? await pool.send("PING")) == .simpleString("PONG")
            }
            try await pool.set("after", to: [2])
            #expect(try await pool.get("after") == [2])
            try await eventually("the pool is back at its minimum size") { pool.openConnectionCount == 2 }
            await pool.close()
        }
    }

    @Test func connectTimeoutOnAServerThatNeverAnswers() async throws {
        let blackhole = try SilentListener()
        defer { blackhole.close() }
        var configuration = RedisConfiguration(port: blackhole.port)
        configuration.connectTimeout = .milliseconds(300)
        let clock = ContinuousClock()
        let start = clock.now
        let pool = RedisConnectionPool(configuration: configuration)
        let error = await #expect(throws: RedisError.self) { try await pool.send("PING") }
        #expect(error?.kind == .connectTimeout)
        #expect(error?.reason.contains("300ms") == true)
        #expect(clock.now - start < .seconds(3))
        await pool.close()
    }

    @Test func commandTimeoutFailsTheCommandAndClosesTheConnection() async throws {
        try await RedisServer.withRunning { server in
            var configuration = try RedisConfiguration(url: server.url)
            configuration.commandTimeout = .milliseconds(300)
            let pool = RedisConnectionPool(configuration: configuration)
            try await pool.connect()
            let admin = try await RedisConnection.connect(configuration: RedisConfiguration(url: server.url))
            try await admin.send("CLIENT", "PAUSE", "1500", "ALL")
            let clock = ContinuousClock()
            let start = clock.now
            let error = await #expect(throws: RedisError.self) { try await pool.send("GET", "k") }
            #expect(error?.kind == .commandTimeout)
            #expect(error?.reason.contains("300ms") == true)
            #expect(clock.now - start < .milliseconds(1200))
            try await eventually("the timed-out connection is closed") { pool.openConnectionCount == 0 }
            try await Task.sleep(for: .milliseconds(1300))
            try await eventually("the pool works again once Redis answers") {
                (try? await pool.send("PING")) == .simpleString("PONG")
            }
            await admin.close()
            await pool.close()
        }
    }
}

/// Polls `condition` every 50 ms for up to `seconds`, failing the test if it never holds.
func eventually(
    _ what: String, seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
}
