import MetricsTestKit
import NIOCore
import NIOEmbedded
import Testing

@testable import HTTPCore

@Suite("HTTPRequestMetrics and the server's connection gauge")
struct HTTPRequestMetricsTests {
    typealias S = AppTestSupport

    /// An app with the middleware first, a route, a mounted router with a parameter, and an
    /// erroring route.
    static func app(metrics: TestMetrics) -> App {
        var app = App()
        let clock = ManualClock(step: .milliseconds(3))
        app.metrics = HTTPRequestMetrics(factory: metrics) {
            let (seconds, attoseconds) = clock.now.offset.components
            return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        }
        app.get("/health") { _ in Response(status: .ok) }
        app.get("/fail") { _ in throw HTTPError(.badRequest, reason: "no") }
        var users = Router()
        users.get("/users/:id") { _ in Response(status: .ok) }
        app.use("/api", users)
        return app
    }

    @Test("requests are counted by route pattern (mount prefixes included) and status, and timed by route")
    func countsByRoute() async throws {
        let metrics = TestMetrics()
        let app = Self.app(metrics: metrics)
        for id in ["1", "2", "3"] { _ = await app.respond(to: S.request(.get, "/api/users/\(id)")) }
        _ = await app.respond(to: S.request(.get, "/health"))
        _ = await app.respond(to: S.request(.get, "/nope/123"))
        _ = await app.respond(to: S.request(.post, "/health"))
        _ = await app.respond(to: S.request(.get, "/fail"))

        let label = "http_requests_total"
        #expect(try metrics.expectCounter(label, [("route", "/api/users/:id"), ("status", "200")]).totalValue == 3)
        #expect(try metrics.expectCounter(label, [("route", "/health"), ("status", "200")]).totalValue == 1)
        #expect(try metrics.expectCounter(label, [("route", "unmatched"), ("status", "404")]).totalValue == 1)
        #expect(try metrics.expectCounter(label, [("route", "unmatched"), ("status", "405")]).totalValue == 1)
        #expect(try metrics.expectCounter(label, [("route", "other"), ("status", "400")]).totalValue == 1)
        #expect(!metrics.counters(label: label).contains { $0.dimensions.contains { $0.1.contains("123") } })

        let timer = try metrics.expectTimer("http_request_duration_seconds", [("route", "/api/users/:id")])
        #expect(timer.values == [3_000_000, 3_000_000, 3_000_000])
    }

    @Test("one counter per label set, made once: repeated requests reuse it")
    func madeOnce() async throws {
        let metrics = TestMetrics()
        let app = Self.app(metrics: metrics)
        for _ in 0..<50 { _ = await app.respond(to: S.request(.get, "/health")) }
        #expect(metrics.counters(label: "http_requests_total").count == 1)
        #expect(metrics.timers(label: "http_request_duration_seconds").count == 1)
    }

    @Test("Response.matchedRoute names the route pattern, nil when no route answered")
    func matchedRoute() async throws {
        let app = Self.app(metrics: TestMetrics())
        #expect(await app.respond(to: S.request(.get, "/api/users/7")).matchedRoute == "/api/users/:id")
        #expect(await app.respond(to: S.request(.get, "/nope")).matchedRoute == nil)
    }

    @Test("http_server_open_connections follows connections opening and closing")
    func openConnections() async throws {
        let metrics = TestMetrics()
        let registry = ConnectionRegistry(limit: 10, metrics: metrics)
        let channel = EmbeddedChannel()
        #expect(registry.add(channel))
        let meter = try metrics.expectMeter("http_server_open_connections")
        #expect(meter.lastValue == 1)
        _ = try? channel.finish()
        #expect(meter.lastValue == 0)
    }
}
