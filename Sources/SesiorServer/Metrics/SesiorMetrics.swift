import CoreMetrics
import Prometheus

/// The metrics of one `sesior` instance: a Prometheus registry of its own (not the process-wide
/// `MetricsSystem`, so several instances in one test process keep theirs apart) and the
/// swift-metrics factory every library reports to. `GET /metrics` (`MetricsRoute`) renders it.
///
/// Off (`--no-metrics`), `factory` is swift-metrics' no-op handler: every counter and gauge in
/// the libraries is then a call that does nothing, and neither the route nor the request
/// middleware is installed.
struct SesiorMetrics: Sendable {
    /// The buckets of every latency histogram, in seconds: finer than swift-prometheus' default
    /// (which starts at 5 ms), since most routes answer well under a millisecond.
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10),
    ]

    /// The registry `/metrics` renders; nil when metrics are off.
    let registry: PrometheusCollectorRegistry?
    /// Where the libraries' metrics go.
    let factory: any MetricsFactory

    /// Metrics on (a fresh registry) or off (the no-op factory).
    init(enabled: Bool) {
        guard enabled else {
            registry = nil
            factory = NOOPMetricsHandler.instance
            return
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        self.registry = registry
        self.factory = factory
    }

    /// Whether metrics are collected.
    var isEnabled: Bool { registry != nil }

    /// The Prometheus text exposition (format 0.0.4) of everything collected so far.
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry?.emit(into: &buffer)
        return buffer
    }
}
