import HTTPCore
import NIOCore
import Logging
import RedisStore
import SocketIO
import Synchronization

/// The SESIOR socket layer: a Socket.IO server at `/socket.io/` whose handshake loads the REST
/// session (`SocketHandshakeCheck`), whose events are the original SESIOR's
/// (`ShowcaseSocketEvents`), and whose broadcasts reach every instance when the Redis bus is used.
///
/// Every socket joins the room named by its session id, so REST changes to a session (logout,
/// register) act on all of that session's sockets, on every instance.
final class ShowcaseSockets: SesiorSocketLayer {
    /// The Socket.IO server (its engine is mounted by `mount(on:services:)`).
    let io: SocketIOServer
    /// The Redis pub/sub link, when instances share Redis.
    let bus: (any SocketIOClusterBus)?
    /// The origins allowed to open sockets (the Engine.IO `allowRequest`).
    let origins: SocketOriginPolicy
    /// Where `InstancePresence` keeps this instance's sessions (with the bus only).
    private let presenceClient: (any RedisClient)?
    /// Started by `mount(on:services:)` when there is a bus.
    private let presence = Mutex<InstancePresence?>(nil)

    /// A layer whose broadcasts stay in this process; `engine` holds the heartbeat, buffer size,
    /// transports and compression (its path and `allowRequest` are the layer's own).
    init(engine: EngineIOServerConfiguration = EngineIOServerConfiguration()) {
        bus = nil
        presenceClient = nil
        let origins = SocketOriginPolicy()
        self.origins = origins
        io = SocketIOServer(configuration: Self.configuration(engine: engine, origins: origins) { name, local in
            InMemoryAdapter(namespace: name, localSockets: local)
        })
    }

    /// A layer whose broadcasts and room operations go through `bus` to every instance, and
    /// whose sessions are listed for the other instances through `presence` (see `InstancePresence`).
    init(
        bus: any SocketIOClusterBus, presence: (any RedisClient)? = nil,
        engine: EngineIOServerConfiguration = EngineIOServerConfiguration()
    ) {
        self.bus = bus
        presenceClient = presence
        let origins = SocketOriginPolicy()
        self.origins = origins
        io = SocketIOServer(configuration: Self.configuration(engine: engine, origins: origins, adapter: bus.adapterFactory))
    }

    /// Builds the layer on a Redis bus on `pool` (`adapter`: classic or sharded pub/sub) that
    /// subscribes in the background: the server starts even while Redis is down (with a warning)
    /// and the bus catches up when Redis comes.
    static func redis(
        pool: RedisConnectionPool, adapter: SesiorConfiguration.SocketAdapter = .classic,
        engine: EngineIOServerConfiguration = EngineIOServerConfiguration(), logger: Logger
    ) async -> ShowcaseSockets {
        let warned = WarnedFlag()
        let onFailure: @Sendable (any Error) -> Void = { error in
            guard warned.value.exchange(true, ordering: .relaxed) == false else { return }
            logger.warning(
                "Socket.IO: cannot subscribe to Redis yet, retrying; broadcasts from other instances are missed until then",
                metadata: ["error": "\(error)"])
        }
        let onSubscribed: @Sendable () -> Void = {
            if warned.value.load(ordering: .relaxed) { logger.info("Socket.IO: subscribed to Redis") }
        }
        let bus: any SocketIOClusterBus
        switch adapter {
        case .classic:
            bus = await SocketIORedisBus.connecting(
                pool: pool, prefix: Self.channelPrefix, onFailure: onFailure, onSubscribed: onSubscribed)
        case .sharded(let mode):
            bus = await SocketIOShardedRedisBus.connecting(
                pool: pool, prefix: Self.channelPrefix, subscriptionMode: mode, onFailure: onFailure,
                onSubscribed: onSubscribed)
        }
        return ShowcaseSockets(bus: bus, presence: pool, engine: engine)
    }

    /// The Redis channel prefix of sesior's Socket.IO bus (a Node peer sets the same
    /// `channelPrefix`).
    static let channelPrefix = "sesior:socket.io"

    /// The server settings: `engine`'s heartbeat, buffer size, transports and compression at
    /// `/socket.io/`, no CORS of its own (the app's CORS middleware runs before the endpoint),
    /// `origins` as `allowRequest`, a handshake that must complete within 45 s.
    private static func configuration(
        engine: EngineIOServerConfiguration, origins: SocketOriginPolicy,
        adapter: @escaping SocketIOServerConfiguration.AdapterFactory
    ) -> SocketIOServerConfiguration {
        var settings = engine
        settings.path = "/socket.io/"
        settings.cors = nil
        settings.allowRequest = { request in origins.admission(for: request) }
        return SocketIOServerConfiguration(
            engine: settings,
            connection: SocketIOConnection.Configuration(connectTimeout: .seconds(45)),
            adapter: adapter)
    }

    func mount(on app: inout App, services: SesiorServices) {
        origins.allow(services.corsOrigins)
        let check = SocketHandshakeCheck(services: services)
        io.use { handshake in await check.verdict(for: handshake) }
        let events = ShowcaseSocketEvents(services: services, io: io)
        let presence = presenceClient.map { client in
            InstancePresence(client: client, instanceID: services.instanceID, io: io, events: events, logger: services.logger)
        }
        self.presence.withLock { $0 = presence }
        io.onConnection { [io] socket in
            await events.connected(socket)
            guard let presence, let sessionID = socket.data[SocketHandshakeCheck.sessionIDKey]?.stringValue else { return }
            await presence.connected(sessionID: sessionID)
            // After the events' own disconnect handler (which announces user:left): the session
            // leaves this instance's set once its last local socket is gone, so a reaper does not
            // announce it again.
            socket.onDisconnect { _ in
                guard let left = try? await io.to(sessionID).local.socketIDs(), left.isEmpty else { return }
                await presence.disconnected(sessionID: sessionID)
            }
        }
        io.attach(to: &app)
    }

    func sessionRegistered(previousSessionID: String, sessionID: String, userName: String) async {
        // The old id is no longer valid: its sockets must reconnect with the new cookie.
        await io.to(previousSessionID).disconnectSockets()
    }

    func sessionLoggedOut(sessionID: String, userName: String?) async {
        await io.to(sessionID).disconnectSockets()
        if let userName { await io.emit(ShowcaseSocketEvents.userLeft, .string(userName)) }
    }

    /// Stops the presence beat (the other instances reap what the disconnect handlers do not
    /// finish), ends every connection (their disconnect handlers announce the users) and the
    /// Redis subscription.
    func close() async {
        await presence.withLock { $0 }?.stop()
        io.close()
        bus?.stop()
    }
}

/// Whether the bus's first subscription failure was already logged (warn once, not every retry).
private final class WarnedFlag: Sendable {
    let value = Atomic<Bool>(false)
}
