import Foundation
import RedisStore
import SesiorTesting
import Testing

@testable import SesiorServer

/// `sesior --redis redis+sentinel://…`: sessions, the user registry and the Socket.IO bus follow a
/// Sentinel failover (master killed, replica promoted).
@Suite("SESIOR follows a Redis Sentinel failover", .serialized)
struct SentinelFailoverTests {
    @Test("master killed: 503 while no master answers, then the session is read from the promoted replica")
    func sessionsSurviveAFailover() async throws {
        try await RedisServer.withSentinelSetup { master, replica, sentinel in
            try await Self.run(master: master, replica: replica, sentinel: sentinel)
        }
    }

    private static func run(master: RedisServer, replica: RedisServer, sentinel: RedisServer) async throws {
        let direct = try await RedisConnection.connect(configuration: try RedisConfiguration(url: master.url))
        let asking = try await RedisConnection.connect(
            configuration: try RedisConfiguration(url: "redis://127.0.0.1:\(sentinel.port)"))
        let url = "redis+sentinel://127.0.0.1:\(sentinel.port)/sesior"
        try await TestInstance.with(redisURL: url, instanceID: "s") { app in
            #expect(app.instance.startupLine.contains("store: redis sentinel sesior via 127.0.0.1:\(sentinel.port)/0"))
            let cookie = try await app.register("alice")
            // The registration replicated before the master goes (replication is asynchronous).
            #expect(try await direct.send("WAIT", "1", "5000").int == 1)
            await direct.close()
            await master.kill()
            let down = try await app.get("/verify-session", cookie: cookie)
            #expect(down.status == 503, "\(down.status) \(down.body)")
            var verify = down
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .seconds(30) {
                if verify.status == 200, try await Self.master(asking) == replica.port { break }
                try await Task.sleep(for: .milliseconds(100))
                verify = try await app.get("/verify-session", cookie: cookie)
            }
            #expect(try await Self.master(asking) == replica.port, "the Sentinel promoted the replica")
            #expect(verify.status == 200)
            #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"alice"}}"#)
            // Writes go to the new master: a second user registers, and the name list has both.
            _ = try await app.register("bob")
            #expect(try await app.get("/users").body == #"{"users":["alice","bob"]}"#)
        }
        await asking.close()
    }

    private static func master(_ sentinel: RedisConnection) async throws -> Int? {
        let address = try await sentinel.send("SENTINEL", "get-master-addr-by-name", "sesior")
        return address.array?.last?.string.flatMap { Int($0) }
    }
}
