import NIOCore

/// Messages from SUBSCRIBE / PSUBSCRIBE (or sharded SSUBSCRIBE), as an `AsyncSequence`, on a
/// dedicated connection.
///
/// The subscription survives Redis restarts: its connection reconnects with backoff and
/// subscribes again (messages published while it is down are lost, as always with pub/sub).
/// It ends, unsubscribing and closing its connection, when its consumer stops iterating
/// (the iterator is dropped or its task cancelled) or when `cancel()` is called.
/// Iterate it from one task only.
public struct RedisSubscription: AsyncSequence, Sendable {
    /// A received message.
    public typealias Element = RedisPubSubMessage

    private let stream: AsyncStream<RedisPubSubMessage>
    private let subscriber: RedisSubscriber

    /// Subscribes to `channels` and `patterns` on a new connection; returns once Redis confirmed.
    static func open(
        configuration: RedisConfiguration, group: any EventLoopGroup, channels: [String], patterns: [String],
        sharded: Bool = false
    ) async throws(RedisError) -> RedisSubscription {
        let (stream, continuation) = AsyncStream.makeStream(
            of: RedisPubSubMessage.self, bufferingPolicy: .bufferingNewest(100_000))
        let subscriber = RedisSubscriber(
            configuration: configuration, group: group, channels: channels, patterns: patterns, sharded: sharded,
            continuation: continuation)
        continuation.onTermination = { _ in subscriber.stop() }
        try await subscriber.start()
        return RedisSubscription(stream: stream, subscriber: subscriber)
    }

    private init(stream: AsyncStream<RedisPubSubMessage>, subscriber: RedisSubscriber) {
        self.stream = stream
        self.subscriber = subscriber
    }

    /// Unsubscribes and closes the connection; iteration then ends.
    public func cancel() {
        subscriber.stop()
    }

    /// Adds channels to the subscription (SUBSCRIBE, or SSUBSCRIBE for a sharded one) without
    /// waiting for Redis to confirm; they are subscribed again after every reconnect.
    public func subscribe(to channels: Set<String>) {
        subscriber.update(adding: channels, removing: [])
    }

    /// Removes channels from the subscription (UNSUBSCRIBE, or SUNSUBSCRIBE for a sharded one).
    public func unsubscribe(from channels: Set<String>) {
        subscriber.update(adding: [], removing: channels)
    }

    /// The channels of the subscription now (not its patterns).
    public var channels: Set<String> { subscriber.channels }

    /// Returns once Redis confirmed every `subscribe(to:)` and `unsubscribe(from:)` made so far
    /// (at once while the subscription is reconnecting: it then subscribes the whole set first).
    public func settled() async { await subscriber.settled() }

    /// The iterator; dropping it ends the subscription.
    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator(), stopper: Stopper(subscriber))
    }

    /// Yields messages until the subscription ends.
    public struct Iterator: AsyncIteratorProtocol {
        fileprivate var base: AsyncStream<RedisPubSubMessage>.Iterator
        fileprivate let stopper: Stopper

        /// The next message, or nil once the subscription ended.
        public mutating func next() async -> RedisPubSubMessage? {
            await base.next()
        }
    }

    /// Stops the subscription when the consumer's iterator goes away.
    fileprivate final class Stopper: Sendable {
        private let subscriber: RedisSubscriber
        init(_ subscriber: RedisSubscriber) { self.subscriber = subscriber }
        deinit { subscriber.stop() }
    }
}

extension RedisConnectionPool {
    /// SUBSCRIBE to `channels` on a dedicated connection (not one of the pool's); returns once
    /// Redis confirmed. Throws if Redis cannot be reached now; later outages are ridden out.
    public func subscribe(to channels: [String]) async throws(RedisError) -> RedisSubscription {
        try await RedisSubscription.open(configuration: configuration, group: eventLoopGroup, channels: channels, patterns: [])
    }

    /// SSUBSCRIBE to sharded `channels` (Redis 7; SPUBLISH reaches them) on a dedicated
    /// connection, one command per channel; returns once Redis confirmed. Channels can be added
    /// and removed later (`subscribe(to:)`, `unsubscribe(from:)`).
    public func subscribe(toShardChannels channels: [String]) async throws(RedisError) -> RedisSubscription {
        try await RedisSubscription.open(
            configuration: configuration, group: eventLoopGroup, channels: channels, patterns: [], sharded: true)
    }

    /// PSUBSCRIBE to glob `patterns` (e.g. `room:*`) on a dedicated connection; messages carry the
    /// matching pattern.
    public func subscribe(toPatterns patterns: [String]) async throws(RedisError) -> RedisSubscription {
        try await RedisSubscription.open(configuration: configuration, group: eventLoopGroup, channels: [], patterns: patterns)
    }
}
