import NIOConcurrencyHelpers
import RedisStore

/// The sharded Redis pub/sub link of one server instance (Redis 7: SPUBLISH / SSUBSCRIBE), as
/// `createShardedAdapter` of `@socket.io/redis-adapter` 8.3 or later, for clusters where one pub/sub
/// channel would be the bottleneck: sesior and Node instances on it form one cluster.
///
/// Per namespace it subscribes `<prefix>#<nsp>#` (broadcasts and requests) and its own response
/// channel `<prefix>#<nsp>#<uid>#`; with `.dynamic` also `<prefix>#<nsp>#<room>#` for each public
/// room that has local members, and with `.dynamicPrivate` for every room, so that a broadcast
/// to one room reaches only the instances that have it. Messages are in the format of socket.io's
/// cluster adapter (`ClusterAdapterMessage`); queries wait for as many answers as SPUBLISH
/// reached other instances (Node asks `PUBSUB SHARDNUMSUB`, the same number).
///
/// ```swift
/// let bus = try await SocketIOShardedRedisBus.start(pool: pool, subscriptionMode: .dynamic)
/// let io = SocketIOServer(configuration: .init(adapter: bus.adapterFactory))
/// ```
public final class SocketIOShardedRedisBus: RedisAdapterBus {
    /// How many channels the bus subscribes (the adapter's `subscriptionMode`).
    public enum SubscriptionMode: String, Sendable, CaseIterable {
        /// Two channels per namespace: every broadcast reaches every instance.
        case `static`
        /// Also one per public room with local members (the default): a broadcast to one such
        /// room reaches the instances that have it. Socket-id rooms (20 characters, as socket.io
        /// tells them apart) go to every instance.
        case dynamic
        /// Also one per socket-id room, for much one-to-one messaging.
        case dynamicPrivate = "dynamic-private"
    }

    /// This instance's id (16 hexadecimal digits, as socket.io's cluster adapter makes them).
    public let uid: String
    /// The channel prefix, the adapter's `channelPrefix` (default `socket.io`).
    public let prefix: String
    /// The subscription mode (default `.dynamic`, as Node).
    public let subscriptionMode: SubscriptionMode
    /// How long a query waits for every other instance's answer (default 5 s, as socket.io).
    public let requestTimeout: Duration
    let pool: RedisConnectionPool
    private let adapters = NIOLockedValueBox([String: RedisAdapter]())
    /// The channels to subscribe (those of every namespace made, and of its rooms in a dynamic
    /// mode), the subscription once open, and whether `stop()` was called.
    /// `confirmed`: the namespaces whose channels Redis confirmed, which may be queried.
    private let state = NIOLockedValueBox(
        (channels: Set<String>(), subscription: RedisSubscription?.none, stopped: false, confirmed: Set<String>()))
    private let pending = RedisAdapterPendingRequests()

    private init(
        pool: RedisConnectionPool, prefix: String, subscriptionMode: SubscriptionMode, requestTimeout: Duration
    ) {
        self.uid = Self.makeHexID()
        self.pool = pool
        self.prefix = prefix
        self.subscriptionMode = subscriptionMode
        self.requestTimeout = requestTimeout
        state.withLockedValue { $0.channels = Self.namespaceChannels(prefix, "/", uid: uid) }
    }

    /// Subscribes (returns once Redis confirmed) and starts dispatching.
    ///
    /// - Parameters:
    ///   - pool: the Redis connections to publish on; the subscription opens a dedicated one.
    ///   - prefix: the channel prefix shared by every instance (`channelPrefix`).
    ///   - subscriptionMode: `.static`, `.dynamic` (default) or `.dynamicPrivate`.
    ///   - requestTimeout: how long `fetchSockets` and the other queries wait for the other
    ///     instances before failing with `SocketIOAdapterError` (default 5 s).
    /// - Throws: `RedisError` when Redis cannot be reached.
    public static func start(
        pool: RedisConnectionPool, prefix: String = "socket.io", subscriptionMode: SubscriptionMode = .dynamic,
        requestTimeout: Duration = .seconds(5)
    ) async throws -> SocketIOShardedRedisBus {
        let bus = SocketIOShardedRedisBus(
            pool: pool, prefix: prefix, subscriptionMode: subscriptionMode, requestTimeout: requestTimeout)
        try await bus.subscribe()
        return bus
    }

    /// A bus that never fails to start, so a server can start while Redis is down, as
    /// `SocketIORedisBus.connecting`: one attempt before returning, then attempts in the background
    /// with backoff until Redis confirms the subscription (broadcasts of other instances are
    /// missed until then, and queries fail at once with `SocketIOAdapterError`).
    public static func connecting(
        pool: RedisConnectionPool, prefix: String = "socket.io", subscriptionMode: SubscriptionMode = .dynamic,
        requestTimeout: Duration = .seconds(5), retryDelay: Duration = .milliseconds(250),
        onFailure: @escaping @Sendable (any Error) -> Void = { _ in }, onSubscribed: @escaping @Sendable () -> Void = {}
    ) async -> SocketIOShardedRedisBus {
        let bus = SocketIOShardedRedisBus(
            pool: pool, prefix: prefix, subscriptionMode: subscriptionMode, requestTimeout: requestTimeout)
        await RedisAdapterSubscribing.keepTrying(
            retryDelay: retryDelay, isStopped: { bus.isStopped }, attempt: { try await bus.subscribe() },
            onFailure: onFailure, onSubscribed: onSubscribed)
        return bus
    }

    /// True once Redis confirmed the subscription (it then survives Redis restarts).
    public var isSubscribed: Bool { state.withLockedValue { $0.subscription != nil } }

    private var isStopped: Bool { state.withLockedValue { $0.stopped } }

    /// The shard channels subscribed now (or to be, while Redis is away).
    public var channels: Set<String> { state.withLockedValue { $0.channels } }

    private func subscribe() async throws {
        let wanted = state.withLockedValue { $0.channels }
        let subscription = try await pool.subscribe(toShardChannels: wanted.sorted())
        let (prefix, uid) = (prefix, uid)
        let late = state.withLockedValue { state -> Set<String>? in
            guard !state.stopped, state.subscription == nil else { return nil }
            state.subscription = subscription
            // Under the state lock (the adapters' is never held while taking it): a namespace
            // made from here on sees the subscription and confirms itself.
            let namespaces = adapters.withLockedValue { Set($0.keys) }.union(["/"])
            // What rooms came and went while Redis was subscribing.
            subscription.subscribe(to: state.channels.subtracting(wanted))
            subscription.unsubscribe(from: wanted.subtracting(state.channels))
            let ready = namespaces.filter { Self.namespaceChannels(prefix, $0, uid: uid).isSubset(of: wanted) }
            state.confirmed.formUnion(ready)
            return namespaces.subtracting(ready)
        }
        guard let late else {
            subscription.cancel()
            return
        }
        if !late.isEmpty { confirm(late, on: subscription) }
        Task { [self] in
            for await message in subscription { await received(message) }
        }
    }

    /// Adds and removes shard channels: on the open subscription at once, and for the next one.
    private func change(adding added: Set<String> = [], removing removed: Set<String> = []) {
        state.withLockedValue { state in
            guard !state.stopped else { return }
            state.channels.formUnion(added)
            state.channels.subtract(removed)
            state.subscription?.subscribe(to: added)
            state.subscription?.unsubscribe(from: removed)
        }
    }

    /// The adapter factory for `SocketIOServerConfiguration.adapter`.
    public var adapterFactory: SocketIOServerConfiguration.AdapterFactory {
        { [self] namespace, localSockets in
            let adapter = RedisAdapter(
                namespace: namespace, localSockets: localSockets, bus: self, roomObserver: roomObserver(namespace))
            adapters.withLockedValue { $0[namespace] = adapter }
            change(adding: Self.namespaceChannels(prefix, namespace, uid: uid))
            // Open already: queries wait until Redis took the new channels (else SPUBLISH would
            // not count this instance yet, and an instance's answer would go missing unnoticed).
            if let subscription = state.withLockedValue({ $0.subscription }) { confirm([namespace], on: subscription) }
            return adapter
        }
    }

    /// Marks `namespaces` as ready for queries once Redis answered the subscription changes
    /// made so far.
    private func confirm(_ namespaces: Set<String>, on subscription: RedisSubscription) {
        Task { [self] in
            await subscription.settled()
            state.withLockedValue { $0.confirmed.formUnion(namespaces) }
        }
    }

    /// In a dynamic mode, subscribes the channel of each room of `namespace` that gets local
    /// members (public ones only with `.dynamic`) and unsubscribes it when the last one leaves.
    private func roomObserver(_ namespace: String) -> InMemoryAdapter.RoomObserver? {
        guard subscriptionMode != .static else { return nil }
        let (prefix, everyRoom) = (prefix, subscriptionMode == .dynamicPrivate)
        return { [weak self] room, created, isPrivate in
            guard let self, everyRoom || !isPrivate else { return }
            let channel = Self.roomChannel(prefix, namespace, room)
            if created {
                self.change(adding: [channel])
            } else {
                self.change(removing: [channel])
            }
        }
    }

    /// Ends the subscription (and a background attempt to open it).
    public func stop() {
        let subscription = state.withLockedValue { state -> RedisSubscription? in
            state.stopped = true
            defer { state.subscription = nil }
            return state.subscription
        }
        subscription?.cancel()
    }

    /// The channel of a broadcast: its room's own channel when it targets exactly one room that
    /// has one in this mode (and expects no acknowledgements), else the namespace's.
    func channel(of message: RedisAdapterMessage) -> String {
        let namespace = message.packet.namespace
        if subscriptionMode != .static, message.options.rooms.count == 1, let room = message.options.rooms.first,
            subscriptionMode == .dynamicPrivate || room.utf16.count != 20
        {
            return Self.roomChannel(prefix, namespace, room)
        }
        return Self.channel(prefix, namespace)
    }

    func publish(_ message: RedisAdapterMessage) async {
        let envelope = ClusterAdapterMessage(uid: uid, namespace: message.packet.namespace, body: .broadcast(message))
        guard let payload = envelope.encode() else { return }
        _ = try? await pool.shardPublish(payload, to: channel(of: message))
    }

    func publish(_ request: RedisAdapterRequest, namespace: String) async {
        _ = try? await publishRequest(request, namespace: namespace)
    }

    /// Publishes on the namespace's channel; how many other instances received it.
    private func publishRequest(_ request: RedisAdapterRequest, namespace: String) async throws -> Int {
        guard let payload = ClusterAdapterMessage(uid: uid, namespace: namespace, body: .request(request)).encode()
        else { return 0 }
        // This instance is subscribed to the channel too.
        return max(try await pool.shardPublish(payload, to: Self.channel(prefix, namespace)) - 1, 0)
    }

    func request(_ kind: RedisAdapterRequest.Kind, namespace: String) async throws -> [RedisAdapterResponse] {
        guard state.withLockedValue({ $0.confirmed.contains(namespace) }) else {
            throw SocketIOAdapterError.unavailable("not subscribed to Redis yet")
        }
        // The cluster format has no `sockets` or `allRooms` request: both are answered from the
        // sockets FETCH_SOCKETS returns.
        let asked: RedisAdapterRequest.Kind
        switch kind {
        case .sockets(let rooms): asked = .fetch(SocketIOBroadcastOptions(rooms: rooms))
        case .allRooms: asked = .fetch(SocketIOBroadcastOptions())
        default: asked = kind
        }
        let request = RedisAdapterRequest(uid: uid, requestID: Self.makeHexID(), kind: asked)
        let responses = try await pending.perform(id: request.requestID ?? "", timeout: requestTimeout) {
            do {
                return try await self.publishRequest(request, namespace: namespace)
            } catch {
                throw SocketIOAdapterError.unavailable("\(error)")
            }
        }
        return responses.map { response in
            guard case .sockets(let sockets) = response.kind else { return response }
            switch kind {
            case .sockets: return RedisAdapterResponse(requestID: response.requestID, kind: .socketIDs(sockets.map(\.id)))
            case .allRooms:
                let rooms = sockets.reduce(into: Set<String>()) { $0.formUnion($1.rooms) }
                return RedisAdapterResponse(requestID: response.requestID, kind: .rooms(rooms.sorted()))
            default: return response
            }
        }
    }

    func publish(
        _ request: RedisAdapterRequest, namespace: String, lingering: Duration,
        onResponse: @escaping @Sendable (RedisAdapterResponse) -> Void
    ) async -> Int {
        guard let id = request.requestID else { return 0 }
        pending.listen(to: id, for: lingering, onResponse: onResponse)
        return (try? await publishRequest(request, namespace: namespace)) ?? 0
    }

    func respond(_ response: RedisAdapterResponse, namespace: String, to requester: String) async {
        let envelope = ClusterAdapterMessage(uid: uid, namespace: namespace, body: .response(response))
        guard let payload = envelope.encode() else { return }
        _ = try? await pool.shardPublish(payload, to: Self.responseChannel(prefix, namespace, uid: requester))
    }

    /// Handles one message, in the order they came: broadcasts, room operations and broadcasts
    /// with acks at once (a later broadcast must not overtake them); queries and
    /// `serverSideEmit`, whose answers may wait on handlers, in a task of their own, so that a
    /// slow handler holds up neither the messages behind it nor the answers it waits for itself.
    private func received(_ message: RedisPubSubMessage) async {
        guard
            let decoded = ClusterAdapterMessage(
                payload: message.payload, channelNamespace: namespace(ofChannel: message.channel)),
            decoded.uid != uid, let adapter = adapters.withLockedValue({ $0[decoded.namespace] })
        else { return }
        switch decoded.body {
        case .broadcast(let broadcast): await adapter.applyRemote(broadcast)
        case .request(let request):
            switch request.kind {
            case .join, .leave, .disconnect, .broadcast: await adapter.answer(request)
            case .sockets, .allRooms, .fetch, .serverSideEmit: Task { await adapter.answer(request) }
            }
        case .response(let response):
            pending.received(response)
        case .other: break
        }
    }

    /// The namespace whose channels `channel` is one of (`<prefix>#<nsp>#…`; the longest match,
    /// as a namespace name may itself hold `#`).
    private func namespace(ofChannel channel: String) -> String? {
        adapters.withLockedValue { adapters in
            adapters.keys.filter { channel.hasPrefix(Self.channel(prefix, $0)) }.max { $0.count < $1.count }
        }
    }

    /// An instance or request id as the cluster adapter makes them (16 hexadecimal digits).
    private static func makeHexID() -> String {
        let text = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    static func channel(_ prefix: String, _ namespace: String) -> String { "\(prefix)#\(namespace)#" }

    static func responseChannel(_ prefix: String, _ namespace: String, uid: String) -> String {
        "\(prefix)#\(namespace)#\(uid)#"
    }

    static func roomChannel(_ prefix: String, _ namespace: String, _ room: String) -> String {
        "\(prefix)#\(namespace)#\(room)#"
    }

    private static func namespaceChannels(_ prefix: String, _ namespace: String, uid: String) -> Set<String> {
        [channel(prefix, namespace), responseChannel(prefix, namespace, uid: uid)]
    }
}
