import NIOConcurrencyHelpers
import NIOCore

/// Keeps one dedicated subscribed connection alive for a `RedisSubscription`: opens it, sends
/// SUBSCRIBE/PSUBSCRIBE (SSUBSCRIBE for sharded channels), and after the connection drops
/// reconnects with capped exponential backoff and subscribes again, until `stop()`. The channels
/// can change while it runs (`update`); a reconnect subscribes the channels of that moment.
final class RedisSubscriber: Sendable {
    private struct State {
        var connection: RedisConnection?
        var stopped = false
        /// The channels to be subscribed to (patterns never change).
        var channels: Set<String>
    }

    private let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private let patterns: [String]
    /// Sharded pub/sub (SSUBSCRIBE / SUNSUBSCRIBE, Redis 7), one command per channel so that a
    /// Redis Cluster could take each; plain SUBSCRIBE otherwise.
    private let sharded: Bool
    private let continuation: AsyncStream<RedisPubSubMessage>.Continuation
    private let state: NIOLockedValueBox<State>

    init(
        configuration: RedisConfiguration, group: any EventLoopGroup, channels: [String], patterns: [String],
        sharded: Bool = false, continuation: AsyncStream<RedisPubSubMessage>.Continuation
    ) {
        self.configuration = configuration
        self.group = group
        self.patterns = patterns
        self.sharded = sharded
        self.continuation = continuation
        self.state = NIOLockedValueBox(State(channels: Set(channels)))
    }

    /// Subscribes for the first time (throwing if Redis is unreachable), then keeps the
    /// subscription alive in the background.
    func start() async throws(RedisError) {
        let connection = try await open()
        Task { await self.keepAlive(connection) }
    }

    /// Unsubscribes, closes the connection and ends the message sequence. Idempotent.
    func stop() {
        let (connection, channels) = state.withLockedValue { state -> (RedisConnection?, [String]) in
            if state.stopped { return (nil, []) }
            state.stopped = true
            defer { state.connection = nil }
            return (state.connection, state.channels.sorted())
        }
        continuation.finish()
        guard let connection else { return }
        let patterns = patterns
        Task { [self] in
            try? await connection.sendAll(commands(false, channels))
            if !patterns.isEmpty {
                _ = try? await connection.send(
                    RedisCommand(["PUNSUBSCRIBE"] + patterns), expectedReplies: patterns.count, deadline: nil, timeoutError: nil)
            }
            await connection.close()
        }
    }

    /// Subscribes `added` and unsubscribes `removed` channels: at once when connected (in the
    /// order of the calls), and in any case at every later reconnect.
    func update(adding added: Set<String>, removing removed: Set<String>) {
        state.withLockedValue { state in
            guard !state.stopped else { return }
            let subscribe = added.subtracting(state.channels).sorted()
            let unsubscribe = removed.intersection(state.channels).subtracting(added).sorted()
            state.channels.formUnion(subscribe)
            state.channels.subtract(unsubscribe)
            // Written under the lock, so that the commands of two updates cannot cross.
            guard let connection = state.connection else { return }
            connection.writeAll(commands(true, subscribe) + commands(false, unsubscribe))
        }
    }

    /// Returns once Redis answered every change `update` wrote so far: a PING behind them on the
    /// same connection is answered after them. At once while reconnecting (the next connection
    /// subscribes the whole set before it delivers anything).
    func settled() async {
        let ping = state.withLockedValue { state in
            state.connection?.write(RedisCommand(["PING"]), expectedReplies: 1, deadline: nil, timeoutError: nil)
        }
        _ = try? await ping?.get()
    }

    /// The channels subscribed to (or to be, while reconnecting).
    var channels: Set<String> { state.withLockedValue { $0.channels } }

    /// SUBSCRIBE or UNSUBSCRIBE `channels` (one SSUBSCRIBE or SUNSUBSCRIBE per channel when
    /// sharded), with the number of replies each command gets.
    private func commands(_ subscribing: Bool, _ channels: [String]) -> [(command: RedisCommand, replies: Int)] {
        guard !channels.isEmpty else { return [] }
        if sharded { return channels.map { (RedisCommand([subscribing ? "SSUBSCRIBE" : "SUNSUBSCRIBE", $0]), 1) } }
        return [(RedisCommand([subscribing ? "SUBSCRIBE" : "UNSUBSCRIBE"] + channels), channels.count)]
    }

    private var isStopped: Bool { state.withLockedValue { $0.stopped } }

    private func open() async throws(RedisError) -> RedisConnection {
        let continuation = continuation
        let connection = try await RedisConnection.connect(
            configuration: configuration, eventLoop: group.next(), onPush: { continuation.yield($0) })
        let subscribed = state.withLockedValue { $0.channels }
        do {
            try await connection.sendAll(commands(true, subscribed.sorted()))
            if !patterns.isEmpty {
                _ = try await connection.send(
                    RedisCommand(["PSUBSCRIBE"] + patterns), expectedReplies: patterns.count, deadline: nil, timeoutError: nil)
            }
        } catch {
            await connection.close()
            throw error
        }
        let stopped = state.withLockedValue { state -> Bool in
            guard !state.stopped else { return true }
            state.connection = connection
            // What `update` changed while the connection was subscribing.
            connection.writeAll(
                commands(true, state.channels.subtracting(subscribed).sorted())
                    + commands(false, subscribed.subtracting(state.channels).sorted()))
            return false
        }
        if stopped {
            await connection.close()
            throw RedisError(.closed, "the subscription was cancelled")
        }
        return connection
    }

    private func keepAlive(_ first: RedisConnection) async {
        var connection = first
        while true {
            try? await connection.closeFuture.get()
            var backoff = configuration.reconnectInitialBackoff
            while true {
                if isStopped { return }
                try? await Task.sleep(for: backoff)
                if isStopped { return }
                if let reopened = try? await open() {
                    connection = reopened
                    break
                }
                backoff = min(backoff * 2, configuration.reconnectMaximumBackoff)
            }
        }
    }
}
