import MetricsTestKit
import SessionKit
import Testing

@Suite("SessionLifecycle metrics")
struct SessionMetricsTests {
    @Test("session_loads_total{result} counts found and new sessions, session_saves_total the writes")
    func loadsAndSaves() async throws {
        let metrics = TestMetrics()
        let lifecycle = SessionLifecycle(
            configuration: SessionConfiguration(secrets: ["s"], store: MemoryStore(), metrics: metrics))
        let session = try await lifecycle.load(cookieHeader: nil)
        session["user"] = "alice"
        let setCookie = try #require(try await lifecycle.commit(session))
        let cookie = String(setCookie.prefix { $0 != ";" })
        let again = try await lifecycle.load(cookieHeader: cookie)
        #expect(again["user"] == "alice")
        try await lifecycle.modify(sessionID: again.id) { $0["visits"] = 1 }

        #expect(try metrics.expectCounter("session_loads_total", [("result", "new")]).totalValue == 1)
        #expect(try metrics.expectCounter("session_loads_total", [("result", "found")]).totalValue == 1)
        #expect(try metrics.expectCounter("session_saves_total").totalValue == 2)
    }
}
