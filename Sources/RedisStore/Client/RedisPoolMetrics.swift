import CoreMetrics

/// The swift-metrics series of a `RedisConnectionPool`, made once with the pool:
/// `redis_pool_commands_in_use` (commands leased a connection and not answered yet),
/// `redis_pool_waiting` (commands waiting for a first connection), `redis_pool_connections`
/// (open connections) and `redis_pool_reconnects_total` (connects started to replace a dropped
/// connection or to retry after a failed one).
struct RedisPoolMetrics: Sendable {
    static let inUseLabel = "redis_pool_commands_in_use"
    static let waitingLabel = "redis_pool_waiting"
    static let connectionsLabel = "redis_pool_connections"
    static let reconnectsLabel = "redis_pool_reconnects_total"

    let inUse: Meter
    let waiting: Meter
    let connections: Meter
    let reconnects: Counter

    init(factory: any MetricsFactory) {
        inUse = Meter(label: Self.inUseLabel, factory: factory)
        waiting = Meter(label: Self.waitingLabel, factory: factory)
        connections = Meter(label: Self.connectionsLabel, factory: factory)
        reconnects = Counter(label: Self.reconnectsLabel, factory: factory)
    }
}
