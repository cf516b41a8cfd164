import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Counts and times every request an `App` answers with swift-metrics, as prom-client's Express
/// middleware does: `http_requests_total{route, status}` and the latency histogram (a
/// swift-metrics `Timer`) `http_request_duration_seconds{route}`, from the app's call to its
/// response head (a streamed body's chunks are not waited for). Set it as `App.metrics`.
///
/// `route` is `Response.matchedRoute` (the pattern, e.g. `/users/:id`, never the raw path), or
/// `unmatched` for a 404/405 no route answered, or `other` for an answer from a middleware (static
/// files, Engine.IO) and for an error thrown through the chain (the router labels the responses
/// routes return, not errors); an error counts with the status of the response it became.
///
/// The app records after its chain returns, without a middleware layer (no async frame of its
/// own). Metric objects are made once per label set and kept, and each thread looks them up in a
/// cache of its own: a request costs two clock reads, a dictionary lookup without a lock, a
/// counter increment and a histogram observation (the backend's own cost: swift-prometheus's
/// histogram takes a lock).
public final class HTTPRequestMetrics: Sendable {
    static let requestsLabel = "http_requests_total"
    static let durationLabel = "http_request_duration_seconds"
    static let unmatched = "unmatched"
    static let other = "other"

    private struct Key: Hashable {
        let route: String
        let status: Int
    }

    private struct Series {
        let requests: Counter
        let duration: CoreMetrics.Timer
    }

    private let factory: any MetricsFactory
    private let now: @Sendable () -> UInt64
    /// Every series made, shared by the threads (taken only on a thread's first use of a label set).
    private let made = NIOLockedValueBox([Key: Series]())
    /// Each thread's copy of the series it used.
    private let perThread = ThreadSpecificVariable<ThreadCache>()

    /// The series one thread has used. Only the thread owning it (through `perThread`) reads or
    /// writes it, so it needs no lock.
    private final class ThreadCache: @unchecked Sendable {
        var series: [Key: Series] = [:]
        /// The label set used last and its series: most requests on a thread repeat it, and
        /// comparing two short strings is cheaper than hashing one.
        var last: (key: Key, series: Series)?
    }

    /// Metrics reported to `factory` (default: whatever `MetricsSystem` was bootstrapped with),
    /// timed with `now` (nanoseconds of a monotonic clock; default `NIODeadline.now()`).
    public init(
        factory: any MetricsFactory = MetricsSystem.factory,
        now: @escaping @Sendable () -> UInt64 = { NIODeadline.now().uptimeNanoseconds }
    ) {
        self.factory = factory
        self.now = now
    }

    /// The start time of a request, for `record(_:since:)`.
    func start() -> UInt64 { now() }

    /// Counts `response` and observes the time since `start`.
    func record(_ response: Response, since start: UInt64) {
        let elapsed = now() &- start
        let status = response.status.code
        let route = response.matchedRoute ?? (status == 404 || status == 405 ? Self.unmatched : Self.other)
        let series = self.series(route: route, status: status)
        series.requests.increment()
        series.duration.recordNanoseconds(Int64(truncatingIfNeeded: elapsed))
    }

    /// The counter for `route` and `status` with the timer for `route`, from this thread's cache.
    private func series(route: String, status: Int) -> Series {
        let key = Key(route: route, status: status)
        let cache: ThreadCache
        if let existing = perThread.currentValue {
            cache = existing
        } else {
            cache = ThreadCache()
            perThread.currentValue = cache
        }
        if let last = cache.last, last.key == key { return last.series }
        let series: Series
        if let known = cache.series[key] {
            series = known
        } else {
            series = shared(key)
            cache.series[key] = series
        }
        cache.last = (key, series)
        return series
    }

    /// The series for `key` made by any thread, made now if none did.
    private func shared(_ key: Key) -> Series {
        let route = key.route
        let status = key.status
        return made.withLockedValue { made in
            if let existing = made[key] { return existing }
            let timer =
                made.first { $0.key.route == route }?.value.duration
                ?? CoreMetrics.Timer(label: Self.durationLabel, dimensions: [("route", route)], factory: factory)
            let series = Series(
                requests: Counter(
                    label: Self.requestsLabel, dimensions: [("route", route), ("status", String(status))],
                    factory: factory),
                duration: timer)
            made[key] = series
            return series
        }
    }
}
