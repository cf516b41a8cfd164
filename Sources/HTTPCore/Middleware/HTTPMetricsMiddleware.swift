import CoreMetrics
import NIOConcurrencyHelpers

/// Counts and times every request it sees with swift-metrics, as prom-client's Express middleware
/// does: `http_requests_total{route, status}` and the latency histogram (a swift-metrics `Timer`)
/// `http_request_duration_seconds{route}`, from the middleware's call to the response head (a
/// streamed body's chunks are not waited for).
///
/// `route` is `Response.matchedRoute` (the pattern, e.g. `/users/:id`, never the raw path), or
/// `unmatched` for a 404/405 no route answered, or `other` for an answer from a middleware (static
/// files, Engine.IO) and for a thrown error (the router labels responses only). A thrown
/// `HTTPError` counts with its status, any other error as 500; the
/// error is rethrown unchanged. Put it first in the app so that it sees every request.
///
/// Metric objects are made once per label set and kept (one lock-guarded lookup per request);
/// the clock is injectable for tests.
public struct HTTPMetricsMiddleware<C: Clock>: Middleware where C.Duration == Duration {
    private let series: HTTPMetricSeries
    private let clock: C

    /// A middleware reporting to `factory` (default: whatever `MetricsSystem` was bootstrapped
    /// with), timing with `clock`.
    public init(factory: any MetricsFactory = MetricsSystem.factory, clock: C) {
        self.series = HTTPMetricSeries(factory: factory)
        self.clock = clock
    }

    /// Calls `next` and records the outcome with its duration.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        let start = clock.now
        do {
            let response = try await next(request)
            record(route: response.matchedRoute, status: response.status.code, since: start)
            return response
        } catch let error as HTTPError {
            record(route: nil, status: error.status.code, since: start)
            throw error
        } catch {
            record(route: nil, status: 500, since: start)
            throw error
        }
    }

    private func record(route: String?, status: Int, since start: C.Instant) {
        let elapsed = start.duration(to: clock.now)
        let label = route ?? (status == 404 || status == 405 ? HTTPMetricSeries.unmatched : HTTPMetricSeries.other)
        let (requests, duration) = series.metrics(route: label, status: status)
        requests.increment()
        let (seconds, attoseconds) = elapsed.components
        duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension HTTPMetricsMiddleware where C == ContinuousClock {
    /// A middleware reporting to `factory`, timing with the continuous clock.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.init(factory: factory, clock: ContinuousClock())
    }
}

/// The counters and timers of `HTTPMetricsMiddleware`, made once per route and status.
final class HTTPMetricSeries: Sendable {
    static let requestsLabel = "http_requests_total"
    static let durationLabel = "http_request_duration_seconds"
    static let unmatched = "unmatched"
    static let other = "other"

    private struct Key: Hashable {
        let route: String
        let status: Int
    }

    private struct Made {
        var counters: [Key: Counter] = [:]
        var timers: [String: CoreMetrics.Timer] = [:]
    }

    private let factory: any MetricsFactory
    private let made = NIOLockedValueBox(Made())

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// The request counter for `route` and `status` and the duration timer for `route`.
    func metrics(route: String, status: Int) -> (Counter, CoreMetrics.Timer) {
        made.withLockedValue { made in
            let key = Key(route: route, status: status)
            let counter: Counter
            if let existing = made.counters[key] {
                counter = existing
            } else {
                counter = Counter(
                    label: Self.requestsLabel, dimensions: [("route", route), ("status", String(status))], factory: factory)
                made.counters[key] = counter
            }
            if let timer = made.timers[route] { return (counter, timer) }
            let timer = CoreMetrics.Timer(label: Self.durationLabel, dimensions: [("route", route)], factory: factory)
            made.timers[route] = timer
            return (counter, timer)
        }
    }
}
