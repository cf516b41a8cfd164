import CoreMetrics

/// The swift-metrics series of an `EngineIOServer`, made once with it: the gauge
/// `engineio_sessions{transport="polling"|"websocket"}` of open sessions by the transport their
/// packets travel on (a polling session that upgrades moves to `websocket`).
struct EngineIOMetrics: Sendable {
    static let sessionsLabel = "engineio_sessions"

    private let polling: Meter
    private let websocket: Meter

    init(factory: any MetricsFactory) {
        polling = Meter(label: Self.sessionsLabel, dimensions: [("transport", "polling")], factory: factory)
        websocket = Meter(label: Self.sessionsLabel, dimensions: [("transport", "websocket")], factory: factory)
    }

    /// The gauge of sessions on `transport`.
    func sessions(on transport: EngineIOTransport) -> Meter {
        transport == .websocket ? websocket : polling
    }
}
