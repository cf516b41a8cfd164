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
    private let subscriptions: [RedisSubscription]
    private let pending = RedisAdapterPendingRequests()

    private init(
        uid: String, pool: RedisConnectionPool, prefix: String, requestTimeout: Duration,
        subscriptions: [RedisSubscription]
    ) {
        self.uid = uid
        self.pool = pool
        self.prefix = prefix
        self.requestTimeout = requestTimeout
        self.subscriptions = subscriptions
    }

    /// Subscribes (returns once Redis confirmed) and starts dispatching.
    ///
    /// - Parameter requestTimeout: how long `fetchSockets` and the other queries wait for the
    ///   other instances before failing with `SocketIOAdapterError` (default 5 s).
    /// - Throws: `RedisError` when Redis cannot be reached.
    public static func start(
        pool: RedisConnectionPool, prefix: String = "socket.io", requestTimeout: Duration = .seconds(5)
    ) async throws -> SocketIORedisBus {
        let uid = EngineIOServer.makeSID()
        let operations = try await pool.subscribe(toPatterns: ["\(prefix)#*"])
        let queries: RedisSubscription
        do {
            queries = try await pool.subscribe(to: [requestChannel(prefix), responseChannel(prefix, uid: uid)])
        } catch {
            operations.cancel()
            throw error
        }
        let bus = SocketIORedisBus(
            uid: uid, pool: pool, prefix: prefix, requestTimeout: requestTimeout, subscriptions: [operations, queries])
        Task { [operations] in
            for await message in operations { await bus.receivedOperation(message.payload) }
        }
        Task { [queries] in
            for await message in queries { await bus.receivedQuery(message) }
        }
        return bus
    }

    /// The adapter factory for `SocketIOServerConfiguration.adapter`.
    public var adapterFactory: SocketIOServerConfiguration.AdapterFactory {
        { [self] namespace, localSockets in
            let adapter = RedisAdapter(namespace: namespace, localSockets: localSockets, bus: self)
            adapters.withLockedValue { $0[namespace] = adapter }
            return adapter
        }
    }

    /// Ends the subscriptions.
    public func stop() {
        for subscription in subscriptions { subscription.cancel() }
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
