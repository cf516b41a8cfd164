import NIOCore

/// Settings of a `SocketIOServer`.
public struct SocketIOServerConfiguration: Sendable {
    /// Makes the adapter of a namespace, given its name and where to deliver to local sockets.
    public typealias AdapterFactory = @Sendable (String, any SocketIOLocalSockets) -> any SocketIOAdapter

    /// The Engine.IO layer: path (default `/socket.io/`), heartbeat, maxPayload, transports, CORS.
    public var engine: EngineIOServerConfiguration
    /// Connection settings: connectTimeout (default 45 s), most attachments per packet.
    public var connection: SocketIOConnection.Configuration
    /// The adapter of every namespace; `nil` (the default): an `InMemoryAdapter` with
    /// `connectionStateRecovery`.
    public var adapter: AdapterFactory?
    /// Connection-state recovery (off by default, as in socket.io). It takes an adapter that
    /// keeps a `SocketIOSessionLog`: the default in-memory one does; one given in `adapter` must
    /// be made with it too (the Redis adapter does not recover connections).
    public var connectionStateRecovery: SocketIOConnectionStateRecovery?

    /// Settings with Socket.IO's defaults, each overridable.
    public init(
        engine: EngineIOServerConfiguration = EngineIOServerConfiguration(),
        connection: SocketIOConnection.Configuration = SocketIOConnection.Configuration(),
        adapter: AdapterFactory? = nil,
        connectionStateRecovery: SocketIOConnectionStateRecovery? = nil
    ) {
        self.engine = engine
        self.connection = connection
        self.adapter = adapter
        self.connectionStateRecovery = connectionStateRecovery
    }

    /// The adapter factory namespaces are made with.
    var resolvedAdapter: AdapterFactory {
        if let adapter { return adapter }
        let recovery = connectionStateRecovery
        return { InMemoryAdapter(namespace: $0, localSockets: $1, recovery: recovery) }
    }
}
