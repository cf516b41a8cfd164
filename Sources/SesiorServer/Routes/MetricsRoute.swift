import HTTPCore
import NIOCore

/// `GET /metrics`: the Prometheus text exposition of the instance's metrics (`SesiorMetrics`), as
/// prom-client's `register.metrics()` behind an Express route. Registered only when metrics are
/// on; it runs before CORS and the session middleware, so a scrape creates no session. Scrapes
/// are counted in `http_requests_total{route="/metrics"}` like any route (one label set, not one
/// per scrape).
enum MetricsRoute {
    /// The path Prometheus scrapes.
    static let path = "/metrics"
    /// The exposition format's content type.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func register(on app: inout App, metrics: SesiorMetrics) {
        app.get(path) { _ in
            Response(
                status: .ok, headers: ["Content-Type": contentType, "Cache-Control": "no-store"],
                body: .bytes(ByteBuffer(bytes: metrics.exposition())))
        }
    }
}
