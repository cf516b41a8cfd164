import Foundation
import SesiorTesting
import Testing

@testable import SesiorServer

/// `sesior --redis` starts while Redis is down (the Socket.IO bus subscribes in the background)
/// and catches up when Redis comes.
@Suite("sesior --redis with Redis down at start-up", .serialized)
struct RedisLateStartTests {
    @Test("starts, answers 503 on /health, and the socket bus subscribes once Redis is back")
    func startsWithRedisDown() async throws {
        try await RedisServer.withRunning { redis in
            await redis.kill()
            try await TestInstance.with(redisURL: redis.url, instanceID: "late") { app in
                let bus = try #require((app.instance.sockets as? ShowcaseSockets)?.bus)
                #expect(!bus.isSubscribed)
                #expect(try await app.get("/health").status == 503)
                try await redis.restart()
                #expect(try await EndToEndRedisSocketTests.eventually { bus.isSubscribed })
                // The session pool reconnects on its own schedule; /health follows it.
                #expect(try await EndToEndRedisSocketTests.eventually { try await app.get("/health").status == 200 })
            }
        }
    }
}
