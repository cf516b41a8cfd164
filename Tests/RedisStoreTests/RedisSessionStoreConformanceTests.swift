import SesiorTesting
import SessionKit
import Testing

@testable import RedisStore

/// SessionKit's store conformance suite, each check against a fresh redis-server.
@Suite struct RedisSessionStoreConformanceTests {
    @Test(arguments: SessionStoreConformance.checkNames)
    func conformance(check: String) async throws {
        try await RedisServer.withRunning { server in
            let pool = try RedisConnectionPool(url: server.url)
            defer { Task { await pool.close() } }
            try await SessionStoreConformance.run(check) { RedisSessionStore(client: pool) }
        }
    }
}
