import CoreMetrics

/// The swift-metrics series of one namespace, made once with it, labelled `namespace`:
/// `socketio_sockets` (sockets connected to it on this instance), `socketio_broadcasts_total`
/// (emits to a selection of its sockets made here: `io.emit`, `to(...).emit`, `broadcast.emit`)
/// and `socketio_deliveries_total` (packets handed to its local sockets by broadcasts, from this
/// instance or, through an adapter, from others; one per socket reached).
struct SocketIONamespaceMetrics: Sendable {
    static let socketsLabel = "socketio_sockets"
    static let broadcastsLabel = "socketio_broadcasts_total"
    static let deliveriesLabel = "socketio_deliveries_total"

    let sockets: Meter
    let broadcasts: Counter
    let deliveries: Counter

    init(namespace: String, factory: any MetricsFactory) {
        let dimensions = [("namespace", namespace)]
        sockets = Meter(label: Self.socketsLabel, dimensions: dimensions, factory: factory)
        broadcasts = Counter(label: Self.broadcastsLabel, dimensions: dimensions, factory: factory)
        deliveries = Counter(label: Self.deliveriesLabel, dimensions: dimensions, factory: factory)
    }
}
