import NIOConcurrencyHelpers
import NIOCore

/// Keeps one dedicated subscribed connection alive for a `RedisSubscription`: opens it, sends
/// SUBSCRIBE/PSUBSCRIBE, and after the connection drops reconnects with capped exponential
/// backoff and subscribes again, until `stop()`.
final class RedisSubscriber: Sendable {
    private let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private let channels: [String]
    private let patterns: [String]
    private let continuation: AsyncStream<RedisPubSubMessage>.Continuation
    private let state = NIOLockedValueBox<(connection: RedisConnection?, stopped: Bool)>((nil, false))

    init(
        configuration: RedisConfiguration, group: any EventLoopGroup, channels: [String], patterns: [String],
        continuation: AsyncStream<RedisPubSubMessage>.Continuation
    ) {
        self.configuration = configuration
        self.group = group
        self.channels = channels
        self.patterns = patterns
        self.continuation = continuation
    }

    /// Subscribes for the first time (throwing if Redis is unreachable), then keeps the
    /// subscription alive in the background.
    func start() async throws(RedisError) {
        let connection = try await open()
        Task { await self.keepAlive(connection) }
    }

    /// Unsubscribes, closes the connection and ends the message sequence. Idempotent.
    func stop() {
        let connection = state.withLockedValue { state -> RedisConnection? in
            if state.stopped { return nil }
            state.stopped = true
            defer { state.connection = nil }
            return state.connection
        }
        continuation.finish()
        guard let connection else { return }
        let channels = channels
        let patterns = patterns
        Task {
            if !channels.isEmpty {
                _ = try? await connection.send(
                    RedisCommand(["UNSUBSCRIBE"] + channels), expectedReplies: channels.count, deadline: nil, timeoutError: nil)
            }
            if !patterns.isEmpty {
                _ = try? await connection.send(
                    RedisCommand(["PUNSUBSCRIBE"] + patterns), expectedReplies: patterns.count, deadline: nil, timeoutError: nil)
            }
            await connection.close()
        }
    }

    private var isStopped: Bool { state.withLockedValue { $0.stopped } }

    private func open() async throws(RedisError) -> RedisConnection {
        let continuation = continuation
        let connection = try await RedisConnection.connect(
            configuration: configuration, eventLoop: group.next(), onPush: { continuation.yield($0) })
        do {
            if !channels.isEmpty {
                _ = try await connection.send(
                    RedisCommand(["SUBSCRIBE"] + channels), expectedReplies: channels.count, deadline: nil, timeoutError: nil)
            }
            if !patterns.isEmpty {
                _ = try await connection.send(
                    RedisCommand(["PSUBSCRIBE"] + patterns), expectedReplies: patterns.count, deadline: nil, timeoutError: nil)
            }
        } catch {
            await connection.close()
            throw error
        }
        let stopped = state.withLockedValue { state -> Bool in
            if !state.stopped { state.connection = connection }
            return state.stopped
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
