import NIOConcurrencyHelpers
import RedisStore

/// The Redis pub/sub link shared by the `RedisAdapter`s of one server instance: one pattern
/// subscription on `<prefix>#*` for broadcasts and room operations, dispatched in order to the
/// adapter of their namespace, and one subscription on the request channel `<prefix>-request#`
/// and this instance's response channel `<prefix>-response#<uid>#` for queries across instances
/// (`fetchSockets`), as socket.io's redis adapter does.
///
/// ```swift
/// let bus = try await SocketIORedisBus.start(pool: pool)
/// let io = SocketIOServer(configuration: .init(adapter: bus.adapterFactory))
/// ```
public final class SocketIORedisBus: Sendable {
    /// This instance's id; its own publications are ignored when they come back.
    public let uid: String
    /// The channel prefix (default `socket.io`); channels are `<prefix>#<namespace>#`.
    public let prefix: String
    /// How long a query waits for every other instance's answer (default 5 s, as socket.io).
    public let requestTimeout: Duration
    let pool: RedisConnectionPool
    private let adapters = NIOLockedValueBox([String: RedisAdapter]())
    /// The open subscriptions (none until Redis confirmed them), and whether `stop()` was called.
    private let subscriptions = NIOLockedValueBox((open: [RedisSubscription](), stopped: false))
    private let pending = RedisAdapterPendingRequests()

    private init(uid: String, pool: RedisConnectionPool, prefix: String, requestTimeout: Duration) {
        self.uid = uid
        self.pool = pool
        self.prefix = prefix
        self.requestTimeout = requestTimeout
    }

    /// Subscribes (returns once Redis confirmed) and starts dispatching.
    ///
    /// - Parameters:
    ///   - pool: the Redis connections to publish on; the subscriptions open dedicated ones.
    ///   - prefix: the channel prefix shared by every instance (`<prefix>#<namespace>#`, and the
    ///     query channels `<prefix>-request#` / `<prefix>-response#<uid>#`).
    ///   - requestTimeout: how long `fetchSockets` and the other queries wait for the other
    ///     instances before failing with `SocketIOAdapterError` (default 5 s).
    /// - Throws: `RedisError` when Redis cannot be reached.
    public static func start(
        pool: RedisConnectionPool, prefix: String = "socket.io", requestTimeout: Duration = .seconds(5)
    ) async throws -> SocketIORedisBus {
        let bus = SocketIORedisBus(
            uid: EngineIOServer.makeSID(), pool: pool, prefix: prefix, requestTimeout: requestTimeout)
        try await bus.subscribe()
        return bus
    }

    /// A bus that never fails to start, so a server can start while Redis is down: it tries to
    /// subscribe once before returning (so with Redis up it is subscribed on return), then keeps
    /// trying in the background with backoff (`retryDelay`, doubling, at most 5 s). Until Redis
    /// confirms the subscriptions, broadcasts from other instances are missed (publishing works as
    /// soon as the pool reaches Redis) and queries fail at once with `SocketIOAdapterError`.
    /// `onFailure` hears each failed attempt (for a warning), `onSubscribed` a later success.
    public static func connecting(
        pool: RedisConnectionPool, prefix: String = "socket.io", requestTimeout: Duration = .seconds(5),
        retryDelay: Duration = .milliseconds(250), onFailure: @escaping @Sendable (any Error) -> Void = { _ in },
        onSubscribed: @escaping @Sendable () -> Void = {}
    ) async -> SocketIORedisBus {
        let bus = SocketIORedisBus(
            uid: EngineIOServer.makeSID(), pool: pool, prefix: prefix, requestTimeout: requestTimeout)
        do {
            try await bus.subscribe()
            return bus
        } catch {
            onFailure(error)
        }
        Task {
            try? await Task.sleep(for: retryDelay)
            var delay = retryDelay * 2
            while !bus.isStopped {
                do {
                    try await bus.subscribe()
                    onSubscribed()
                    return
                } catch {
                    onFailure(error)
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        return bus
    }

    /// True once Redis confirmed the subscriptions (they then survive Redis restarts).
    public var isSubscribed: Bool { subscriptions.withLockedValue { !$0.open.isEmpty } }

    private var isStopped: Bool { subscriptions.withLockedValue { $0.stopped } }

    /// Opens both subscriptions and starts dispatching their messages.
    private func subscribe() async throws {
        let operations = try await pool.subscribe(toPatterns: ["\(prefix)#*"])
        let queries: RedisSubscription
        do {
            queries = try await pool.subscribe(to: [Self.requestChannel(prefix), Self.responseChannel(prefix, uid: uid)])
        } catch {
            operations.cancel()
            throw error
        }
        let kept = subscriptions.withLockedValue { state -> Bool in
            if !state.stopped { state.open = [operations, queries] }
            return !state.stopped
        }
        guard kept else {
            operations.cancel()
            queries.cancel()
            return
        }
        Task { [self] in
            for await message in operations { await receivedOperation(message.payload) }
        }
        Task { [self] in
            for await message in queries { await receivedQuery(message) }
        }
    }

    /// The adapter factory for `SocketIOServerConfiguration.adapter`.
    public var adapterFactory: SocketIOServerConfiguration.AdapterFactory {
        { [self] namespace, localSockets in
            let adapter = RedisAdapter(namespace: namespace, localSockets: localSockets, bus: self)
            adapters.withLockedValue { $0[namespace] = adapter }
            return adapter
        }
    }

    /// Ends the subscriptions (and a background attempt to open them).
    public func stop() {
        let open = subscriptions.withLockedValue { state -> [RedisSubscription] in
            state.stopped = true
            defer { state.open = [] }
            return state.open
        }
        for subscription in open { subscription.cancel() }
    }

    func publish(_ message: RedisAdapterMessage) async {
        _ = try? await pool.publish(message.encode(), to: "\(prefix)#\(message.namespace)#")
    }

    /// The sockets of the other instances that `options` selects in `namespace`.
    ///
    /// - Throws: `SocketIOAdapterError` when an instance did not answer within `requestTimeout`
    ///   or the request could not be published.
    func fetchRemote(namespace: String, options: SocketIOBroadcastOptions) async throws -> [SocketIOSocketDetails] {
        let request = RedisAdapterRequest(
            uid: uid, requestID: EngineIOServer.makeSID(), namespace: namespace, options: options)
        guard isSubscribed else { throw SocketIOAdapterError.unavailable("not subscribed to Redis yet") }
        let (pool, channel) = (pool, Self.requestChannel(prefix))
        return try await pending.perform(id: request.requestID, timeout: requestTimeout) {
            do {
                // Every instance (this one included) is subscribed to the request channel.
                return max(try await pool.publish(request.encode(), to: channel) - 1, 0)
            } catch {
                throw SocketIOAdapterError.unavailable("\(error)")
            }
        }
    }

    private func receivedOperation(_ payload: [UInt8]) async {
        guard let decoded = RedisAdapterMessage(payload: payload), decoded.uid != uid else { return }
        guard let adapter = adapters.withLockedValue({ $0[decoded.namespace] }) else { return }
        await adapter.applyRemote(decoded)
    }

    private func receivedQuery(_ message: RedisPubSubMessage) async {
        if message.channel == Self.requestChannel(prefix) {
            guard let request = RedisAdapterRequest(payload: message.payload), request.uid != uid else { return }
            let adapter = adapters.withLockedValue { $0[request.namespace] }
            let sockets = await adapter?.localDetails(request.options) ?? []
            let response = RedisAdapterResponse(uid: uid, requestID: request.requestID, sockets: sockets)
            _ = try? await pool.publish(response.encode(), to: Self.responseChannel(prefix, uid: request.uid))
        } else if let response = RedisAdapterResponse(payload: message.payload) {
            pending.received(response)
        }
    }

    private static func requestChannel(_ prefix: String) -> String { "\(prefix)-request#" }

    private static func responseChannel(_ prefix: String, uid: String) -> String { "\(prefix)-response#\(uid)#" }
}
