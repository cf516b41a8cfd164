import Foundation
import SesiorTesting
import SessionKit
import Testing

@testable import SesiorServer

/// Two in-process instances on one throwaway Redis: socket broadcasts cross instances, and REST-side
/// and socket-side writes of one session do not lose each other's changes.
@Suite("End to end: two instances on one Redis", .serialized)
struct EndToEndRedisSocketTests {
    /// The socket adapters the cross-instance tests run on.
    static let adapters: [SesiorConfiguration.SocketAdapter] = [
        .classic, .sharded(.static), .sharded(.dynamic), .sharded(.dynamicPrivate),
    ]

    @Test("a client on A renames, a client on B sees joined and renamed; B's REST shows the new name", arguments: adapters)
    func renameCrossesInstances(_ adapter: SesiorConfiguration.SocketAdapter) async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "a", configure: { $0.socketAdapter = adapter }) { a in
                try await TestInstance.with(redisURL: redis.url, instanceID: "b", configure: { $0.socketAdapter = adapter }) { b in
                    let alice = try await a.register("alice")
                    let bob = try await b.register("bob")
                    let result = try await SocketClientPython.run("rename", [
                        "url": a.url, "cookie": alice, "name": "alice", "newName": "alicia",
                        "otherURL": b.url, "otherCookie": bob, "otherName": "bob",
                    ])
                    let connected = try #require(result["connectedAck"] as? [Any])
                    #expect(Set(((connected.last as? [String: Any]) ?? [:]).keys) == ["alice", "bob"])
                    #expect(EndToEndSocketTests.payload(result["joined"]) as? [String: String] == ["userName": "alice"])
                    let seen = try #require(EndToEndSocketTests.payload(result["renamed"]) as? [String: Any])
                    #expect(seen["oldUserName"] as? String == "alice")
                    #expect(seen["user"] as? [String: String] == ["userName": "alicia"])
                    let verify = try await b.get("/verify-session", cookie: alice)
                    #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"alicia"}}"#)
                }
            }
        }
    }

    @Test("a session with sockets on A and B: user:left only when the last one anywhere goes", arguments: adapters)
    func leftOnlyForTheLastSocketAnywhere(_ adapter: SesiorConfiguration.SocketAdapter) async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "a", configure: { $0.socketAdapter = adapter }) { a in
                try await TestInstance.with(redisURL: redis.url, instanceID: "b", configure: { $0.socketAdapter = adapter }) { b in
                    let alice = try await a.register("alice")
                    let bob = try await a.register("bob")
                    let result = try await SocketClientPython.run("leave", [
                        "url": a.url, "secondURL": b.url, "cookie": alice, "otherCookie": bob, "newName": "alicia",
                    ])
                    #expect((result["renameAck"] as? [Any])?.first is NSNull)
                    #expect(result["lefts"] as? [String] == ["alicia"])
                }
            }
        }
    }

    @Test("REST-side writes on A and socket renames on B of one session, interleaved: nothing is lost")
    func concurrentWritesOfOneSession() async throws {
        let writes = 100
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "a") { a in
                try await TestInstance.with(redisURL: redis.url, instanceID: "b") { b in
                    let cookie = try await a.register("alice")
                    let lifecycle = a.instance.services.lifecycle
                    let sessionID = try #require(lifecycle.sessionID(fromCookieHeader: cookie))
                    async let renames = SocketClientPython.run(
                        "renames", ["url": b.url, "cookie": cookie, "prefix": "name", "count": writes])
                    // Start A's writes once B's renames are under way, so the two streams overlap.
                    let started = try await Self.eventually {
                        try await Self.userName(of: sessionID, in: a)?.hasPrefix("name") == true
                    }
                    #expect(started, "no rename from B reached the session")
                    for index in 0..<writes {
                        let written = try await lifecycle.modify(sessionID: sessionID) { data in
                            data.values["key\(index)"] = .number(Double(index))
                        }
                        #expect(written != nil)
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    let result = try await renames
                    #expect(result["count"] as? Int == writes)
                    #expect((result["failures"] as? [Any])?.isEmpty == true, "\(result)")

                    let data = try #require(try await a.instance.services.sessionStore.get(sessionID))
                    #expect(data.values[SessionKeys.userName] == .string("name\(writes - 1)"))
                    let missing = (0..<writes).filter { data.values["key\($0)"] != .number(Double($0)) }
                    #expect(missing.isEmpty, "lost REST-side writes: \(missing)")
                    #expect(try await a.instance.services.users.userNames() == ["name\(writes - 1)"])
                    let verify = try await b.get("/verify-session", cookie: cookie)
                    #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"name\#(writes - 1)"}}"#)
                }
            }
        }
    }

    /// The user name stored in session `sessionID`.
    static func userName(of sessionID: String, in app: TestInstance) async throws -> String? {
        guard case .string(let name) = try await app.instance.services.sessionStore.get(sessionID)?
            .values[SessionKeys.userName]
        else { return nil }
        return name
    }

    /// Polls `condition` every 20 ms for up to 60 s.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }
}
