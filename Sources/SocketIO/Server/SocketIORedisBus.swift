import NIOConcurrencyHelpers
import RedisStore

/// The Redis pub/sub link shared by the `RedisAdapter`s of one server instance: one pattern
/// subscription on `<prefix>#*`, messages dispatched in order to the adapter of their namespace.
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
    let pool: RedisConnectionPool
    private let adapters = NIOLockedValueBox([String: RedisAdapter]())
    private let subscription: RedisSubscription

    private init(pool: RedisConnectionPool, prefix: String, subscription: RedisSubscription) {
        self.uid = EngineIOServer.makeSID()
        self.pool = pool
        self.prefix = prefix
        self.subscription = subscription
    }

    /// Subscribes (returns once Redis confirmed) and starts dispatching.
    public static func start(pool: RedisConnectionPool, prefix: String = "socket.io") async throws -> SocketIORedisBus {
        let subscription = try await pool.subscribe(toPatterns: ["\(prefix)#*"])
        let bus = SocketIORedisBus(pool: pool, prefix: prefix, subscription: subscription)
        Task { [subscription] in
            for await message in subscription {
                guard let decoded = RedisAdapterMessage(payload: message.payload), decoded.uid != bus.uid else {
                    continue
                }
                guard let adapter = bus.adapters.withLockedValue({ $0[decoded.namespace] }) else { continue }
                await adapter.applyRemote(decoded)
            }
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

    /// Ends the subscription.
    public func stop() { subscription.cancel() }

    func publish(_ message: RedisAdapterMessage) async {
        _ = try? await pool.publish(message.encode(), to: "\(prefix)#\(message.namespace)#")
    }
}
