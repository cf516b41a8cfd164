import Foundation
import SesiorTesting
import Testing

@testable import SesiorServer

/// Cluster-wide presence (`InstancePresence`): the users of an instance killed with `SIGKILL`,
/// whose disconnect handlers never ran, are announced as gone by an instance still running.
@Suite("Presence across instances", .serialized)
struct PresenceTests {
    @Test("an instance killed with SIGKILL: the live one announces user:left for its user, once")
    func usersOfAKilledInstanceLeave() async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "live") { live in
                let runDirectory = FileManager.default.temporaryDirectory
                    .appendingPathComponent("sesior-presence-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: runDirectory) }
                let doomed = Process()
                doomed.executableURL = ExecutableTests.executable
                doomed.arguments = [
                    "--port", "0", "--run-dir", runDirectory.path, "--instance-id", "doomed", "--log-level", "error",
                    "--redis", redis.url,
                ]
                doomed.environment = [:]
                let output = Pipe()
                doomed.standardOutput = output
                doomed.standardError = FileHandle.nullDevice
                try doomed.run()
                defer { if doomed.isRunning { doomed.terminate() } }
                let handle = output.fileHandleForReading
                let line = try #require(await blockingCall { ExecutableTests.firstLine(of: handle) })
                let port = try #require(line.firstMatch(of: #/127\.0\.0\.1:(\d+)/#).flatMap { Int($0.1) }, "\(line)")

                let registered = try await HTTPTestClient.postJSON("/register", port: port, json: #"{"userName":"alice"}"#)
                let alice = try #require(registered.cookie, "register on the doomed instance: \(registered.status)")
                let bob = try await live.register("bob")
                let result = try await SocketClientPython.run("killed", [
                    "url": live.url, "otherCookie": bob, "killedURL": "http://127.0.0.1:\(port)", "cookie": alice,
                    "pid": Int(doomed.processIdentifier),
                    // After the first user:left, long enough for another beat of the live instance.
                    "linger": 3,
                ])
                await blockingCall { doomed.waitUntilExit() }
                #expect(doomed.terminationReason == .uncaughtSignal)
                #expect(result["joined"] as? [[String: String]] == [["userName": "alice"]])
                #expect(result["lefts"] as? [String] == ["alice"], "\(result)")
                #expect(result["seconds"] is Double, "no user:left within the client's timeout")

                // The dead instance is no longer listed, and its session set is gone.
                let pool = try #require(live.instance.backend.redis)
                let instances = try await pool.send("SMEMBERS", InstancePresence.instancesKey)
                #expect(instances.array?.compactMap(\.string) == ["live"])
                #expect(try await pool.send("EXISTS", InstancePresence.sessionsKey("doomed")).int == 0)
            }
        }
    }

    @Test("a stopped instance's disconnected session leaves its set; the live instance then unlists it")
    func aStoppedInstanceIsUnlistedWithNothingLeftToAnnounce() async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "keeper") { keeper in
                let pool = try #require(keeper.instance.backend.redis)
                try await TestInstance.with(redisURL: redis.url, instanceID: "leaver") { leaver in
                    let cookie = try await leaver.register("carol")
                    let listed = try await Self.eventually {
                        let members = try await pool.send("SMEMBERS", InstancePresence.instancesKey)
                        return Set(members.array?.compactMap(\.string) ?? []) == ["keeper", "leaver"]
                    }
                    #expect(listed, "both instances beat")
                    // One socket that connects, renames and disconnects: its session is in the
                    // leaver's set while connected and out of it once the socket is gone.
                    _ = try await SocketClientPython.run("renames", [
                        "url": leaver.url, "cookie": cookie, "prefix": "carol", "count": 1,
                    ])
                    let emptied = try await Self.eventually {
                        try await pool.send("SCARD", InstancePresence.sessionsKey("leaver")).int == 0
                    }
                    #expect(emptied, "the disconnected session left the set")
                }
                // The leaver stopped beating: once its heartbeat expired the keeper reaps it.
                let unlisted = try await Self.eventually(seconds: 20) {
                    let members = try await pool.send("SMEMBERS", InstancePresence.instancesKey)
                    return members.array?.compactMap(\.string) == ["keeper"]
                }
                #expect(unlisted)
            }
        }
    }

    /// The outcome only: while Redis is frozen the connections stay open, so a wrong reap would
    /// still be caught by the cluster query before each announcement; the reaping delay after an
    /// outage (`InstancePresence`: 8 s of good beats first) is not isolated by this test.
    @Test("Redis frozen for longer than a heartbeat lives: once it runs again, nobody is announced as gone")
    func anOutageAnnouncesNobody() async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "a") { a in
                try await TestInstance.with(redisURL: redis.url, instanceID: "b") { b in
                    let bob = try await a.register("bob")
                    let alice = try await b.register("alice")
                    let pool = try #require(a.instance.backend.redis)
                    // Long enough for the freeze, then for the reaping delay (deadAfter + interval)
                    // after the first good beat, and two beats more.
                    let linger = 8 + 8 + 6
                    let freezing = Task {
                        let listed = try await Self.eventually {
                            let sets = [
                                try await pool.send("SMEMBERS", InstancePresence.sessionsKey("a")),
                                try await pool.send("SMEMBERS", InstancePresence.sessionsKey("b")),
                            ]
                            return sets.allSatisfy { $0.array?.count == 1 }
                        }
                        await redis.pause()
                        try await Task.sleep(for: .seconds(8))  // every heartbeat key expires (6 s)
                        await redis.resume()
                        return listed
                    }
                    let result = try await SocketClientPython.run("outage", [
                        "url": a.url, "otherCookie": bob, "otherURL": b.url, "cookie": alice, "linger": linger,
                    ])
                    #expect(try await freezing.value, "each instance listed its session before the freeze")
                    #expect(result["lefts"] as? [String] == [], "\(result)")
                    #expect(result["connected"] as? Bool == true, "\(result)")
                    let instances = try await pool.send("SMEMBERS", InstancePresence.instancesKey)
                    #expect(Set(instances.array?.compactMap(\.string) ?? []) == ["a", "b"])
                }
            }
        }
    }

    private static func eventually(seconds: Int = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<(seconds * 10) {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
