/// The Redis link between the instances of a cluster, classic (`SocketIORedisBus`,
/// `createAdapter`) or sharded (`SocketIOShardedRedisBus`, `createShardedAdapter`): what a server
/// and its operator need of either.
public protocol SocketIOClusterBus: Sendable {
    /// This instance's id in the messages it publishes; its own are ignored when they come back.
    var uid: String { get }
    /// True once Redis confirmed the subscription (it then survives Redis restarts).
    var isSubscribed: Bool { get }
    /// The adapter factory for `SocketIOServerConfiguration.adapter`.
    var adapterFactory: SocketIOServerConfiguration.AdapterFactory { get }
    /// Ends the subscription (and a background attempt to open it).
    func stop()
}

/// How a `RedisAdapter` reaches the other instances of its cluster: the classic pub/sub of
/// `@socket.io/redis-adapter` (`SocketIORedisBus`) or its sharded variant
/// (`SocketIOShardedRedisBus`). The adapter speaks in messages, requests and responses; each bus
/// puts them on its channels in its own format and hands the other instances' back decoded.
protocol RedisAdapterBus: SocketIOClusterBus {

    /// Publishes a broadcast without acknowledgements.
    func publish(_ message: RedisAdapterMessage) async

    /// Publishes a request that is not answered (room operations, `serverSideEmit` without ack).
    func publish(_ request: RedisAdapterRequest, namespace: String) async

    /// Publishes `kind` for the other instances serving `namespace` and waits for each one's
    /// answer.
    ///
    /// - Throws: `SocketIOAdapterError` when an instance did not answer in time or the request
    ///   could not be published.
    func request(_ kind: RedisAdapterRequest.Kind, namespace: String) async throws -> [RedisAdapterResponse]

    /// Publishes a request whose answers stream in (a broadcast with acks): `onResponse` hears
    /// each answer for `lingering`; returns how many other instances received the request (0
    /// when it could not be published).
    func publish(
        _ request: RedisAdapterRequest, namespace: String, lingering: Duration,
        onResponse: @escaping @Sendable (RedisAdapterResponse) -> Void
    ) async -> Int

    /// Answers a request of instance `requester`.
    func respond(_ response: RedisAdapterResponse, namespace: String, to requester: String) async
}
