import NIOConcurrencyHelpers
import RedisStore

/// The Redis pub/sub link shared by the `RedisAdapter`s of one server instance, on the channels
/// of `@socket.io/redis-adapter` 8.x so that sesior and Node instances form one cluster: one
/// pattern subscription on `<key>#*` for broadcasts (`<key>#<nsp>#` and `<key>#<nsp>#<room>#`),
/// dispatched in order to the adapter of their namespace, and per namespace one subscription on
/// its request channel `<key>-request#<nsp>#` and response channels `<key>-response#<nsp>#` and
/// `<key>-response#<nsp>#<uid>#` (plain subscriptions, so that Node's `PUBSUB NUMSUB` counts
/// this instance when it waits for answers).
///
/// ```swift
/// let bus = try await SocketIORedisBus.start(pool: pool)
/// let io = SocketIOServer(configuration: .init(adapter: bus.adapterFactory))
/// ```
public final class SocketIORedisBus: RedisAdapterBus {
    /// This instance's id; its own publications are ignored when they come back.
    public let uid: String
    /// The channel prefix, the adapter's `key` (default `socket.io`); channels are `<prefix>#<namespace>#`.
    public let prefix: String
    /// How long a query waits for every other instance's answer (default 5 s, as socket.io).
    public let requestTimeout: Duration
    let pool: RedisConnectionPool
    private let adapters = NIOLockedValueBox([String: RedisAdapter]())
    /// The open subscriptions (none until Redis confirmed them), the namespaces whose query
    /// channels are subscribed, and whether `stop()` was called.
    private let subscriptions = NIOLockedValueBox(
        (open: [RedisSubscription](), namespaces: Set<String>(), stopped: false))
    /// The namespaces whose query channels to subscribe: `/` from the start, others as their
    /// adapters are made.
    private let namespaces = NIOLockedValueBox(Set(["/"]))
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
    ///     query channels `<prefix>-request#<namespace>#` / `<prefix>-response#<namespace>#[<uid>#]`).
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
        await RedisAdapterSubscribing.keepTrying(
            retryDelay: retryDelay, isStopped: { bus.isStopped }, attempt: { try await bus.subscribe() }, onFailure: onFailure,
            onSubscribed: onSubscribed)
        return bus
    }

    /// True once Redis confirmed the broadcast subscription and the query channels of `/` (they
    /// then survive Redis restarts).
    public var isSubscribed: Bool { subscriptions.withLockedValue { !$0.open.isEmpty && $0.namespaces.contains("/") } }

    private var isStopped: Bool { subscriptions.withLockedValue { $0.stopped } }

    /// Opens the broadcast subscription and the query subscriptions of every known namespace,
    /// and starts dispatching their messages.
    private func subscribe() async throws {
        let operations = try await pool.subscribe(toPatterns: ["\(prefix)#*"])
        let kept = subscriptions.withLockedValue { state -> Bool in
            if !state.stopped { state.open.append(operations) }
            return !state.stopped
        }
        guard kept else {
            operations.cancel()
            return
        }
        Task { [self] in
            for await message in operations { await receivedBroadcast(message) }
        }
        for namespace in namespaces.withLockedValue({ $0.sorted() }) {
            do {
                try await subscribeQueries(namespace)
            } catch {
                let open = subscriptions.withLockedValue { state -> [RedisSubscription] in
                    defer {
                        state.open = []
                        state.namespaces = []
                    }
                    return state.open
                }
                for subscription in open { subscription.cancel() }
                throw error
            }
        }
    }

    /// Subscribes the request and response channels of `namespace` (once).
    private func subscribeQueries(_ namespace: String) async throws {
        guard subscriptions.withLockedValue({ !$0.namespaces.contains(namespace) }) else { return }
        let channels = [
            Self.requestChannel(prefix, namespace), Self.responseChannel(prefix, namespace),
            Self.responseChannel(prefix, namespace, uid: uid),
        ]
        let queries = try await pool.subscribe(to: channels)
        let kept = subscriptions.withLockedValue { state -> Bool in
            guard !state.stopped, state.namespaces.insert(namespace).inserted else { return false }
            state.open.append(queries)
            return true
        }
        guard kept else {
            queries.cancel()
            return
        }
        Task { [self] in
            for await message in queries { await receivedQuery(message, namespace: namespace) }
        }
    }

    /// The adapter factory for `SocketIOServerConfiguration.adapter`.
    public var adapterFactory: SocketIOServerConfiguration.AdapterFactory {
        { [self] namespace, localSockets in
            let adapter = RedisAdapter(namespace: namespace, localSockets: localSockets, bus: self)
            adapters.withLockedValue { $0[namespace] = adapter }
            let isNew = namespaces.withLockedValue { $0.insert(namespace).inserted }
            if isNew && isSubscribed { Task { try? await self.subscribeQueries(namespace) } }
            return adapter
        }
    }

    /// Ends the subscriptions (and a background attempt to open them).
    public func stop() {
        let open = subscriptions.withLockedValue { state -> [RedisSubscription] in
            state.stopped = true
            defer {
                state.open = []
                state.namespaces = []
            }
            return state.open
        }
        for subscription in open { subscription.cancel() }
    }

    func publish(_ message: RedisAdapterMessage) async {
        _ = try? await pool.publish(message.encode(), to: message.channel(key: prefix))
    }

    /// Publishes a request that is not answered (room operations, `serverSideEmit` without ack).
    func publish(_ request: RedisAdapterRequest, namespace: String) async {
        _ = try? await pool.publish(request.encode(), to: Self.requestChannel(prefix, namespace))
    }

    /// Publishes `kind` for the other instances serving `namespace` and waits for each one's
    /// answer.
    ///
    /// - Throws: `SocketIOAdapterError` when an instance did not answer within `requestTimeout`
    ///   or the request could not be published.
    func request(_ kind: RedisAdapterRequest.Kind, namespace: String) async throws -> [RedisAdapterResponse] {
        let request = RedisAdapterRequest(uid: uid, requestID: EngineIOServer.makeSID(), kind: kind)
        guard subscriptions.withLockedValue({ $0.namespaces.contains(namespace) }) else {
            throw SocketIOAdapterError.unavailable("not subscribed to Redis yet")
        }
        let (pool, channel) = (pool, Self.requestChannel(prefix, namespace))
        return try await pending.perform(id: request.requestID ?? "", timeout: requestTimeout) {
            do {
                // Every instance serving the namespace (this one included) is subscribed.
                return max(try await pool.publish(request.encode(), to: channel) - 1, 0)
            } catch {
                throw SocketIOAdapterError.unavailable("\(error)")
            }
        }
    }

    /// Publishes a request whose answers stream in (a broadcast with acks): `onResponse` hears
    /// each answer for `lingering`; returns how many other instances received the request (0
    /// when it could not be published).
    func publish(
        _ request: RedisAdapterRequest, namespace: String, lingering: Duration,
        onResponse: @escaping @Sendable (RedisAdapterResponse) -> Void
    ) async -> Int {
        guard let id = request.requestID else { return 0 }
        pending.listen(to: id, for: lingering, onResponse: onResponse)
        let receivers = try? await pool.publish(request.encode(), to: Self.requestChannel(prefix, namespace))
        return max((receivers ?? 0) - 1, 0)
    }

    /// Answers a request of instance `requester`.
    func respond(_ response: RedisAdapterResponse, namespace: String, to requester: String) async {
        _ = try? await pool.publish(response.encode(), to: Self.responseChannel(prefix, namespace, uid: requester))
    }

    private func receivedBroadcast(_ message: RedisPubSubMessage) async {
        guard let decoded = RedisAdapterMessage(payload: message.payload), decoded.uid != uid else { return }
        let namespace = decoded.packet.namespace
        guard message.channel.hasPrefix("\(prefix)#\(namespace)#"),
            let adapter = adapters.withLockedValue({ $0[namespace] })
        else { return }
        await adapter.applyRemote(decoded)
    }

    private func receivedQuery(_ message: RedisPubSubMessage, namespace: String) async {
        if message.channel == Self.requestChannel(prefix, namespace) {
            guard let request = RedisAdapterRequest(payload: message.payload), request.uid != uid,
                let adapter = adapters.withLockedValue({ $0[namespace] })
            else { return }
            await adapter.answer(request)
        } else if let response = RedisAdapterResponse(payload: message.payload) {
            pending.received(response)
        }
    }

    static func requestChannel(_ prefix: String, _ namespace: String) -> String { "\(prefix)-request#\(namespace)#" }

    static func responseChannel(_ prefix: String, _ namespace: String, uid: String? = nil) -> String {
        "\(prefix)-response#\(namespace)#" + (uid.map { "\($0)#" } ?? "")
    }
}
