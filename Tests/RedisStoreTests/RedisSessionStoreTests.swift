import Foundation
import JavaScriptFormats
import SesiorTesting
import SessionKit
import Synchronization
import Testing

@testable import RedisStore

extension RedisStoreTestSuite {
    @Suite struct RedisSessionStoreTests {
        static let now = Date(timeIntervalSince1970: 1_800_000_000.250)

        static func session(_ values: JSONValue, expiresIn seconds: Double?) -> SessionData {
            var cookie = SessionCookie()
            cookie.setMaxAge(seconds.map { $0 * 1000 }, now: now)
            return SessionData(cookie: cookie, values: values.objectValue ?? [:])
        }

        static func store(_ pool: RedisConnectionPool, _ adjust: (inout RedisSessionStoreConfiguration) -> Void = { _ in })
            -> RedisSessionStore
        {
            var configuration = RedisSessionStoreConfiguration(clock: SessionClock { now })
            adjust(&configuration)
            return RedisSessionStore(client: pool, configuration: configuration)
        }

        @Test func writesConnectRedisKeysValuesAndTTLs() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let store = Self.store(pool)
                let data = Self.session(["userName": "alice"], expiresIn: 90.5)
                try await store.set("abc", data)
                #expect(try await pool.send("GET", "sess:abc").string == data.jsonString)
                #expect(try await pool.send("TTL", "sess:abc").int == 91)

                try await store.set("browser", Self.session(["a": 1], expiresIn: nil))
                #expect(try await pool.send("TTL", "sess:browser").int == 86400)
                try await Self.store(pool) { $0.ttl = 120 }.set("short", Self.session([:], expiresIn: nil))
                #expect(try await pool.send("TTL", "sess:short").int == 120)

                try await store.set("gone", Self.session(["a": 1], expiresIn: 0.4))
                #expect(try await pool.send("TTL", "sess:gone").int == 1)
                try await store.set("gone", Self.session(["a": 1], expiresIn: 0))
                #expect(try await pool.send("EXISTS", "sess:gone").int == 0)

                try await Self.store(pool) { $0.disableTTL = true }.set("forever", data)
                #expect(try await pool.send("TTL", "sess:forever").int == -1)
                await pool.close()
            }
        }

        @Test func touchUsesExpireUnlessDisabled() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let store = Self.store(pool)
                try await store.set("t", Self.session(["a": 1], expiresIn: 100))
                try await store.touch("t", Self.session(["ignored": true], expiresIn: 5000))
                #expect(try await pool.send("TTL", "sess:t").int == 5000)
                #expect(try await store.get("t")?.values == ["a": 1])
                try await Self.store(pool) { $0.disableTouch = true }.touch("t", Self.session([:], expiresIn: 10))
                #expect(try await pool.send("TTL", "sess:t").int == 5000)
                try await Self.store(pool) { $0.disableTTL = true }.touch("t", Self.session([:], expiresIn: 10))
                #expect(try await pool.send("TTL", "sess:t").int == 5000)
                await pool.close()
            }
        }

        @Test func scansOnlyItsPrefixAcrossManyBatches() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let store = Self.store(pool) {
                    $0.prefix = "app*[1]:"
                    $0.scanCount = 20
                }
                let ids = (0..<250).map { "id\($0)" }
                for id in ids { try await store.set(id, Self.session(["id": .string(id)], expiresIn: 600)) }
                try await pool.send("SET", "app-other:x", "1")
                try await pool.send("SET", "appX[1]:y", "1")
                try await pool.send("SET", "sess:z", "{}")
                #expect(Set(try await store.ids()) == Set(ids))
                #expect(try await store.length() == 250)
                let all = try await store.all()
                #expect(all.count == 250 && all["id7"]?["id"] == "id7")
                try await store.clear()
                #expect(try await store.length() == 0)
                #expect(try await pool.send("DBSIZE").int == 3)
                await pool.close()
            }
        }

        @Test func corruptRecordsAndOutagesAreErrorsNotMissingSessions() async throws {
            try await RedisServer.withRunning { server in
                var configuration = try RedisConfiguration(url: server.url)
                configuration.reconnectMaximumBackoff = .seconds(1)
                let pool = RedisConnectionPool(configuration: configuration)
                let store = Self.store(pool)
                try await pool.send("SET", "sess:bad", "not json")
                let corrupt = await #expect(throws: SessionStoreError.self) { try await store.get("bad") }
                #expect(corrupt?.isCorruptRecord == true)
                await server.kill()
                for _ in 0..<3 {
                    let down = await #expect(throws: SessionStoreError.self) { try await store.get("any") }
                    #expect(down?.isUnavailable == true)
                    #expect(down?.httpStatusCode == 503)
                }
                let write = await #expect(throws: SessionStoreError.self) { try await store.set("x", Self.session([:], expiresIn: 60)) }
                #expect(write?.isUnavailable == true)
                await pool.close()
            }
        }

        @Test func updateRetriesOnAConcurrentWriteAndGivesUpPastItsBound() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let other = try await RedisConnection.connect(configuration: RedisConfiguration(url: server.url))
                let foreign = Self.session(["foreign": true], expiresIn: 600)
                try await Self.store(pool).set("s", Self.session(["mine": 0], expiresIn: 600))
                let runs = Counter()
                for (attempts, expectConflict) in [(1, true), (2, false)] {
                    let store = Self.store(pool) { $0.maximumUpdateAttempts = attempts }
                    runs.reset()
                    let update = { @Sendable (data: inout SessionData?) in
                        if runs.increment() == 1 {
                            // Another process writes between our read and our compare-and-set.
                            blockingRun { try await other.set("sess:s", to: Array(foreign.jsonString.utf8)) }
                        }
                        data?["mine"] = .number(Double(attempts))
                    }
                    if expectConflict {
                        let error = await #expect(throws: SessionStoreError.self) { try await store.update("s", update) }
                        #expect(error?.isConflict == true)
                        #expect(try await store.get("s") == foreign)
                    } else {
                        let written = try await store.update("s", update)
                        #expect(written?.values == ["foreign": true, "mine": 2])
                        #expect(try await store.get("s")?.values == ["foreign": true, "mine": 2])
                    }
                }
                await other.close()
                await pool.close()
            }
        }

        @Test func twoPoolsLoseNoneOfTwoThousandConcurrentUpdates() async throws {
            try await RedisServer.withRunning { server in
                let pools = try [RedisConnectionPool(url: server.url), RedisConnectionPool(url: server.url)]
                let stores = pools.map { RedisSessionStore(client: $0, configuration: .init(maximumUpdateAttempts: 1000)) }
                var cookie = SessionCookie()
                cookie.setMaxAge(3_600_000, now: Date())
                try await stores[0].set("shared", SessionData(cookie: cookie, values: ["start": true]))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (index, store) in stores.enumerated() {
                        for update in 0..<1000 {
                            group.addTask {
                                try await store.update("shared") { data in data?["p\(index)-\(update)"] = .number(Double(update)) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let values = try #require(try await stores[1].get("shared")).values
                let lost = (0..<2).flatMap { index in (0..<1000).filter { values["p\(index)-\($0)"] != .number(Double($0)) } }
                #expect(lost.isEmpty, "\(lost.count) of 2000 updates lost")
                #expect(values.count == 2001)
                for pool in pools { await pool.close() }
            }
        }
    }
}

/// A thread-safe counter for transforms that must know how often they ran.
final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
    func reset() { value.withLock { $0 = 0 } }
}

/// Runs async work to completion from synchronous code (tests only: blocks the calling thread).
func blockingRun(_ body: @escaping @Sendable () async throws -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        try? await body()
        done.signal()
    }
    done.wait()
}
