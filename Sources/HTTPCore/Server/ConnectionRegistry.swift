import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore

/// The open connections of one server: enforces the connection limit and lets a graceful
/// shutdown ask every connection to finish and wait until all have closed.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var quiescing = false
        var drained: [EventLoopPromise<Void>] = []
    }

    private let limit: Int
    private let state = NIOLockedValueBox(State())
    /// `http_server_open_connections`.
    private let open: Meter

    init(limit: Int, metrics: any MetricsFactory = MetricsSystem.factory) {
        self.limit = limit
        self.open = Meter(label: "http_server_open_connections", factory: metrics)
    }

    /// The number of open connections.
    var count: Int { state.withLockedValue { $0.channels.count } }

    /// Registers `channel` and removes it when it closes; false when the server is full or
    /// shutting down (the caller then closes it).
    func add(_ channel: any Channel) -> Bool {
        let added = state.withLockedValue { state in
            guard !state.quiescing, state.channels.count < limit else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
        if added {
            open.increment()
            channel.closeFuture.whenComplete { _ in self.remove(channel) }
        }
        return added
    }

    private func remove(_ channel: any Channel) {
        let waiters: [EventLoopPromise<Void>] = state.withLockedValue { state in
            state.channels[ObjectIdentifier(channel)] = nil
            open.decrement()
            guard state.quiescing, state.channels.isEmpty else { return [] }
            defer { state.drained = [] }
            return state.drained
        }
        for waiter in waiters { waiter.succeed() }
    }

    /// Refuses new connections, asks each open one to close once its current request is answered
    /// (`ChannelShouldQuiesceEvent`), and completes `drained` when none is left.
    func quiesce(drained: EventLoopPromise<Void>) {
        let channels: [any Channel]? = state.withLockedValue { state in
            state.quiescing = true
            if state.channels.isEmpty { return nil }
            state.drained.append(drained)
            return Array(state.channels.values)
        }
        guard let channels else {
            drained.succeed()
            return
        }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Closes every open connection at once.
    func closeAll() {
        let channels = state.withLockedValue { Array($0.channels.values) }
        for channel in channels { channel.close(promise: nil) }
    }
}
