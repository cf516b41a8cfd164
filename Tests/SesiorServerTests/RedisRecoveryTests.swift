import Foundation
import RedisStore
import SesiorTesting
import Testing

@testable import SesiorServer

@Suite("SESIOR recovers quickly after a Redis outage", .serialized)
struct RedisRecoveryTests {
    @Test("the Redis pool retries at least every 250 ms while Redis is down")
    func reconnectBackoffIsCapped() throws {
        let backend = try SessionBackend.redis(url: "redis://127.0.0.1:6399/0")
        let pool = try #require(backend.redis)
        #expect(pool.configuration.reconnectMaximumBackoff == .milliseconds(250))
        #expect(pool.configuration.reconnectInitialBackoff <= .milliseconds(250))
    }

    @Test("after a 3.3 s outage (SIGKILL), sessions answer again within 1 s of Redis's return")
    func recoversWithinOneSecond() async throws {
        let redis = try await RedisServer.start()
        do {
            try await TestInstance.with(redisURL: redis.url, instanceID: "r") { app in
                let cookie = try await app.register("alice")
                await redis.kill()
                #expect(try await app.get("/verify-session", cookie: cookie).status == 503)
                // Long enough for an uncapped-at-250-ms backoff to reach waits of 1.6–2 s.
                try await Task.sleep(for: .milliseconds(3_300))
                try await redis.restart()
                let back = ContinuousClock.now
                var verify = try await app.get("/verify-session", cookie: cookie)
                while verify.status != 200, ContinuousClock.now - back < .seconds(5) {
                    try await Task.sleep(for: .milliseconds(20))
                    verify = try await app.get("/verify-session", cookie: cookie)
                }
                let recovery = ContinuousClock.now - back
                #expect(verify.status == 200)
                #expect(recovery < .seconds(1), "recovered after \(recovery)")
            }
        } catch {
            await redis.stop()
            throw error
        }
        await redis.stop()
    }

    @Test("a hung Redis (SIGSTOP): 503 within the command timeout, not a hang; served again once it runs")
    func hungRedisIsAnOutageNotAHang() async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "h") { app in
                let cookie = try await app.register("alice")
                await redis.pause()
                let asked = ContinuousClock.now
                let hung = try await app.get("/verify-session", cookie: cookie)
                let waited = ContinuousClock.now - asked
                #expect(hung.status == 503, "\(hung.status) \(hung.body)")
                #expect(hung.body == #"{"error":"Session store unavailable"}"#)
                // sesior's command timeout is 2 s; a hang would run into the client's own timeout.
                #expect(waited < .seconds(10), "answered after \(waited)")
                await redis.resume()
                var verify = try await app.get("/verify-session", cookie: cookie)
                let back = ContinuousClock.now
                while verify.status != 200, ContinuousClock.now - back < .seconds(15) {
                    try await Task.sleep(for: .milliseconds(50))
                    verify = try await app.get("/verify-session", cookie: cookie)
                }
                #expect(verify.status == 200)
                #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"alice"}}"#)
            }
        }
    }
}
