import CoreMetrics

/// The swift-metrics counters of a `SessionLifecycle`, made once when the lifecycle is created:
/// `session_loads_total{result="found"|"new"}` (a request's stored session was read, or it got a
/// new one) and `session_saves_total` (atomic writes: `save`, commits that save, `modify`).
struct SessionMetrics: Sendable {
    static let loadsLabel = "session_loads_total"
    static let savesLabel = "session_saves_total"

    let loadsFound: Counter
    let loadsNew: Counter
    let saves: Counter

    init(factory: any MetricsFactory) {
        loadsFound = Counter(label: Self.loadsLabel, dimensions: [("result", "found")], factory: factory)
        loadsNew = Counter(label: Self.loadsLabel, dimensions: [("result", "new")], factory: factory)
        saves = Counter(label: Self.savesLabel, factory: factory)
    }
}
