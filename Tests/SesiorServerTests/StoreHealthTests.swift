import RedisStore
import SesiorTesting
import Testing

@testable import SesiorServer

@Suite("Store health: cached PING for GET /health", .serialized)
struct StoreHealthTests {
    /// How many PING commands `redis` has executed so far.
    static func pingCount(_ client: RedisConnection) async throws -> Int {
        let info = try await client.send(RedisCommand(["INFO", "commandstats"]))
        let text = info.string ?? ""
        guard let line = text.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_ping:") }),
            let calls = line.split(separator: ",").first?.split(separator: "=").last
        else { return 0 }
        return Int(calls) ?? 0
    }

    @Test("many current() calls send at most one PING a second; a dropped pool is re-checked at once")
    func cachesPing() async throws {
        let redis = try await RedisServer.start()
        let pool = RedisConnectionPool(configuration: try RedisConfiguration(url: redis.url))
        let admin = try await RedisConnection.connect(configuration: try RedisConfiguration(url: redis.url))
        let health = StoreHealth.redis(pool)
        let before = try await Self.pingCount(admin)
        for _ in 0..<200 {
            #expect(await health.current() == .up)
        }
        let pings = try await Self.pingCount(admin) - before
        #expect(pings >= 1 && pings <= 3)  // one check, plus the pool's connect handshake(s)
        try await Task.sleep(for: .milliseconds(1100))
        #expect(await health.current() == .up)
        #expect(try await Self.pingCount(admin) - before - pings >= 1)
        await admin.close()
        await redis.stop()
        var status = StoreHealth.Status.up
        for _ in 0..<50 where status == .up {
            status = await health.current()
            if status == .up { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(status == .down)
        await pool.close()
    }

    @Test("the memory store is always disabled")
    func memory() async {
        #expect(await StoreHealth.memory.current() == .disabled)
        #expect(await StoreHealth.memory.check() == .disabled)
    }
}
