import Foundation
import NIOCore
import SesiorTesting
import SessionKit
import Testing

@testable import RedisStore

extension RedisStoreTestSuite {
    /// `GETEX` loads (RedisSessionStore as a `TouchOnLoadSessionStore`) and the RESP encoding
    /// written straight into a ByteBuffer.
    @Suite struct RedisTouchOnLoadTests {
        static let now = Date(timeIntervalSince1970: 1_800_000_000.250)

        static func store(_ pool: RedisConnectionPool) -> RedisSessionStore {
            RedisSessionStore(client: pool, configuration: RedisSessionStoreConfiguration(clock: SessionClock { now }))
        }

        /// How often Redis ran `command` (from `INFO commandstats`).
        static func calls(_ command: String, on pool: RedisConnectionPool) async throws -> Int {
            let info = try await pool.send("INFO", "commandstats").string ?? ""
            let prefix = "cmdstat_\(command):calls="
            guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix(prefix) }) else { return 0 }
            return Int(line.dropFirst(prefix.count).prefix { $0.isNumber }) ?? 0
        }

        @Test func getExReadsAndRestartsTheTTL() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let store = Self.store(pool)
                let data = SessionData(values: ["userName": "alice"])
                try await store.set("abc", data)
                _ = try await pool.send("EXPIRE", "sess:abc", "100")
                let loaded = try #require(try await store.get("abc", settingExpiry: store.touchExpiry(for: data) ?? 0))
                #expect(loaded.data == data)
                #expect(loaded.expirySet)
                #expect(try await pool.send("TTL", "sess:abc").int == 86400)
                #expect(try await store.get("missing", settingExpiry: 86400) == nil)
                #expect(try await pool.send("EXISTS", "sess:missing").int == 0)
                await pool.close()
            }
        }

        @Test func touchExpiryIsWhatTouchSets() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let store = Self.store(pool)
                var cookie = SessionCookie()
                cookie.setMaxAge(90_500, now: Self.now)
                let data = SessionData(cookie: cookie, values: ["a": 1])
                try await store.set("abc", data)
                _ = try await pool.send("EXPIRE", "sess:abc", "5")
                try await store.touch("abc", data)
                #expect(try await pool.send("TTL", "sess:abc").int == store.touchExpiry(for: data))
                #expect(store.touchExpiry(for: data) == 91)
                var disabled = RedisSessionStoreConfiguration(clock: SessionClock { Self.now })
                disabled.disableTouch = true
                #expect(RedisSessionStore(client: pool, configuration: disabled).touchExpiry(for: data) == nil)
                await pool.close()
            }
        }

        @Test func redisWithoutGetExFallsBackToGetAndTouch() async throws {
            try await RedisServer.withRunning(extraArguments: ["--rename-command", "GETEX", ""]) { server in
                let pool = try RedisConnectionPool(url: server.url)
                let store = Self.store(pool)
                let data = SessionData(values: ["userName": "alice"])
                try await store.set("abc", data)
                for _ in 0..<2 {
                    let loaded = try #require(try await store.get("abc", settingExpiry: 86400))
                    #expect(loaded.data == data)
                    #expect(!loaded.expirySet)
                }
                #expect(try await Self.calls("get", on: pool) == 2)
                await pool.close()
            }
        }

        @Test func readOnlyRequestSendsOnlyGetEx() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let lifecycle = SessionLifecycle(configuration: SessionConfiguration(
                    secrets: ["SESIORsecret"], resave: false, saveUninitialized: false,
                    store: RedisSessionStore(client: pool)))
                let first = try await lifecycle.load(cookieHeader: nil)
                first["userName"] = "alice"
                let setCookie = try #require(try await lifecycle.commit(first))
                let stored = try #require(try await pool.send("GET", "sess:\(first.id)").string)
                _ = try await pool.send("EXPIRE", "sess:\(first.id)", "100")
                _ = try await pool.send("CONFIG", "RESETSTAT")

                let session = try await lifecycle.load(cookieHeader: String(setCookie.prefix { $0 != ";" }))
                #expect(session["userName"] == "alice")
                #expect(try await lifecycle.commit(session) == nil)
                #expect(try await Self.calls("getex", on: pool) == 1)
                #expect(try await Self.calls("get", on: pool) == 0)
                #expect(try await Self.calls("expire", on: pool) == 0)
                #expect(try await Self.calls("eval", on: pool) == 0)
                #expect(try await pool.send("TTL", "sess:\(first.id)").int == 86400)
                #expect(try await pool.send("GET", "sess:\(first.id)").string == stored)
                await pool.close()
            }
        }

        @Test func getExCommandIsPrefixedKeyAndSeconds() {
            var configuration = RedisSessionStoreConfiguration()
            configuration.prefix = "app:sess:"
            let store = RedisSessionStore(client: SilentClient(), configuration: configuration)
            #expect(store.getExCommand("abc", expiry: 86400) == RedisCommand(["GETEX", "app:sess:abc", "EX", "86400"]))
        }

        /// A client that is never called (the command builder needs a store, not a connection).
        struct SilentClient: RedisClient {
            func send(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
                throw RedisError(.closed, "not connected")
            }
        }

        static let commands: [[[UInt8]]] = [
            [Array("PING".utf8)],
            [Array("GETEX".utf8), Array("sess:abc".utf8), Array("EX".utf8), Array("86400".utf8)],
            [Array("SET".utf8), Array("k".utf8), [0, 13, 10, 255], []],
            [Array("SET".utf8), Array("big".utf8), [UInt8](repeating: 42, count: 12345)],
            Array(repeating: Array("x".utf8), count: 11),
        ]

        @Test(arguments: commands)
        func byteBufferEncodingMatchesHiredis(arguments: [[UInt8]]) {
            let command = RedisCommand(arguments: arguments)
            let buffer = command.encoded(allocator: ByteBufferAllocator())
            let expected = RESPCommandEncoder().encode(arguments)
            #expect(Array(buffer.readableBytesView) == expected)
            #expect(command.encodedCount == expected.count)
        }
    }
}
