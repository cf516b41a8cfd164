import Foundation
import RedisStore
import SesiorTesting
import Testing

@testable import SesiorServer

@Suite("SESIOR with Redis: restart, several instances, health", .serialized)
struct RedisPersistenceTests {
    @Test("a session survives a restart: stop the app, start a new one on the same Redis")
    func restart() async throws {
        try await RedisServer.withRunning { redis in
            let cookie = try await TestInstance.with(redisURL: redis.url, instanceID: "first") { app in
                try await app.register("alice")
            }
            try await TestInstance.with(redisURL: redis.url, instanceID: "second") { app in
                let verify = try await app.get("/verify-session", cookie: cookie)
                #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"alice"}}"#)
                #expect(try await app.get("/users").body == #"{"users":["alice"]}"#)
                let duplicate = try await app.post("/register", json: #"{"userName":"alice"}"#)
                #expect(duplicate.status == 409)
            }
        }
    }

    @Test("two instances on one Redis share names: registered on A is taken on B, released by logout on A")
    func twoInstances() async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "a") { a in
                try await TestInstance.with(redisURL: redis.url, instanceID: "b") { b in
                    let alice = try await a.register("alice")
                    #expect(try await b.get("/verify-session", cookie: alice).json?["sessionVerified"] as? Bool == true)
                    let taken = try await b.post("/register", json: #"{"userName":"alice"}"#)
                    #expect(taken.status == 409)
                    #expect(taken.body == #"{"membershipResolved":false,"error":"User already exists"}"#)
                    _ = try await b.register("bob")
                    #expect(try await a.get("/users").body == #"{"users":["alice","bob"]}"#)
                    #expect(try await b.post("/logout", json: "{}", cookie: alice).status == 200)
                    #expect(try await a.get("/verify-session", cookie: alice).body == #"{"sessionVerified":false}"#)
                    #expect(try await b.post("/register", json: #"{"userName":"alice"}"#).status == 200)
                }
            }
        }
    }

    @Test("concurrent registrations of one name on two instances: exactly one wins")
    func concurrentClaims() async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "a") { a in
                try await TestInstance.with(redisURL: redis.url, instanceID: "b") { b in
                    let ports = [a.port, b.port]
                    let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                        for index in 0..<10 {
                            group.addTask {
                                try await HTTPTestClient.postJSON(
                                    "/register", port: ports[index % 2], json: #"{"userName":"carol"}"#
                                ).status
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                    #expect(statuses.filter { $0 == 200 }.count == 1)
                    #expect(statuses.filter { $0 == 409 }.count == 9)
                }
            }
        }
    }

    @Test("a name whose session is gone from Redis (expired) can be registered again")
    func staleNameIsTakenOver() async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url) { app in
                let cookie = try await app.register("alice")
                let id = try #require(app.instance.services.lifecycle.sessionID(fromCookieHeader: cookie))
                try await app.instance.services.sessionStore.destroy(id)
                #expect(try await app.post("/register", json: #"{"userName":"alice"}"#).status == 200)
            }
        }
    }

    @Test("health is up with Redis and degraded after redis-server stops; sessions then answer 503")
    func healthReportsRedisDown() async throws {
        let redis = try await RedisServer.start()
        try await TestInstance.with(redisURL: redis.url, instanceID: "h") { app in
            let cookie = try await app.register("alice")
            let up = try await app.get("/health")
            #expect(up.status == 200)
            #expect(up.body == #"{"status":"ok","redis":"up","instance":"h"}"#)
            await redis.stop()
            let down = try await app.get("/health")
            #expect(down.status == 503)
            #expect(down.body == #"{"status":"degraded","redis":"down","instance":"h"}"#)
            let verify = try await app.get("/verify-session", cookie: cookie)
            #expect(verify.status == 503)
            #expect(verify.body == #"{"error":"Session store unavailable"}"#)
            let users = try await app.get("/users")
            #expect(users.status == 503)
            #expect(users.body == #"{"error":"User registry unavailable"}"#)
        }
    }
}
