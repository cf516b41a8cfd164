import Testing

@testable import RedisStore

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

    @Test(arguments: ["http://localhost:6379", "redis://host:notaport", "redis://host:6379/abc", "redis://host:70000"])
    func rejectsInvalidURLs(url: String) {
        let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
        #expect(error?.kind == .invalidURL)
    }
}
