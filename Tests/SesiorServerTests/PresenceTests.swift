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

    @Test("a graceful stop leaves the presence keys of the instance behind it removed")
    func gracefulStopRemovesTheKeys() async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url, instanceID: "keeper") { keeper in
                let pool = try #require(keeper.instance.backend.redis)
                try await TestInstance.with(redisURL: redis.url, instanceID: "leaver") { leaver in
                    let cookie = try await leaver.register("carol")
                    _ = try await SocketClientPython.run("renames", [
                        "url": leaver.url, "cookie": cookie, "prefix": "carol", "count": 1,
                    ])
                    let listed = try await Self.eventually {
                        let members = try await pool.send("SMEMBERS", InstancePresence.instancesKey)
                        return Set(members.array?.compactMap(\.string) ?? []) == ["keeper", "leaver"]
                    }
                    #expect(listed, "both instances beat")
                }
                let members = try await pool.send("SMEMBERS", InstancePresence.instancesKey)
                #expect(members.array?.compactMap(\.string) == ["keeper"])
                #expect(try await pool.send("EXISTS", InstancePresence.heartbeatKey("leaver")).int == 0)
                #expect(try await pool.send("EXISTS", InstancePresence.sessionsKey("leaver")).int == 0)
            }
        }
    }

    private static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
