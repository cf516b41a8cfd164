import Testing

@testable import RedisStore

extension RedisStoreTestSuite {
    @Suite struct RedisConfigurationTests {
        @Test func readsEveryPartOfARedisURL() throws {
            let configuration = try RedisConfiguration(url: "redis://app:p%40ss:w@cache.internal:6380/3")
            #expect(configuration.host == "cache.internal")
            #expect(configuration.port == 6380)
            #expect(configuration.username == "app")
            #expect(configuration.password == "p@ss:w")
            #expect(configuration.database == 3)
        }

        @Test func passwordOnlyAndDefaults() throws {
            let withPassword = try RedisConfiguration(url: "redis://:secret@localhost")
            #expect(withPassword.username == nil)
            #expect(withPassword.password == "secret")
            #expect(withPassword.port == 6379)
            #expect(withPassword.database == 0)
            let bare = try RedisConfiguration(url: "redis://")
            #expect(bare.host == "127.0.0.1")
            let ipv6 = try RedisConfiguration(url: "redis://[::1]:7000/2")
            #expect(ipv6.host == "::1" && ipv6.port == 7000 && ipv6.database == 2)
        }

        @Test func readsASentinelURL() throws {
            let configuration = try RedisConfiguration(
                url: "redis+sentinel://:p%40ss@s1.internal:26380,s2.internal,[::1]:5000,[::2]/cache/2")
            let sentinel = try #require(configuration.sentinel)
            #expect(sentinel.masterName == "cache")
            #expect(sentinel.sentinels == [
                .init(host: "s1.internal", port: 26380), .init(host: "s2.internal", port: 26379),
                .init(host: "::1", port: 5000), .init(host: "::2", port: 26379),
            ])
            #expect(sentinel.password == nil)
            #expect(configuration.password == "p@ss")
            #expect(configuration.username == nil)
            #expect(configuration.database == 2)
            let plain = try RedisConfiguration(url: "redis+sentinel://127.0.0.1/main")
            #expect(plain.sentinel?.masterName == "main")
            #expect(plain.database == 0)
            #expect(try RedisConfiguration(url: "redis://localhost").sentinel == nil)
        }

        @Test(arguments: [
            "redis+sentinel://host:26379", "redis+sentinel://host:26379/", "redis+sentinel:///main",
            "redis+sentinel://host:bad/main", "redis+sentinel://host/main/x", "redis+sentinel://host/main/1/2",
            "redis+sentinel://::1/main", "redis+sentinel://[::1]x/main",
        ])
        func rejectsInvalidSentinelURLs(url: String) {
            let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
            #expect(error?.kind == .invalidURL)
        }

        @Test(arguments: [
            "http://localhost:6379", "redis://host:notaport", "redis://host:6379/abc", "redis://host:70000",
            "redis://::1:6379", "redis://[::1]6379",
        ])
        func rejectsInvalidURLs(url: String) {
            let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
            #expect(error?.kind == .invalidURL)
        }
    }
}
