import NIOCore

/// Settings of a `SocketIOServer`.
public struct SocketIOServerConfiguration: Sendable {
    /// Makes the adapter of a namespace, given its name and where to deliver to local sockets.
    public typealias AdapterFactory = @Sendable (String, any SocketIOLocalSockets) -> any SocketIOAdapter

    /// The Engine.IO layer: path (default `/socket.io/`), heartbeat, maxPayload, transports, CORS.
    public var engine: EngineIOServerConfiguration
    /// Connection settings: connectTimeout (default 45 s), most attachments per packet.
    public var connection: SocketIOConnection.Configuration
    /// The adapter of every namespace (default `InMemoryAdapter`).
    public var adapter: AdapterFactory

    /// Settings with Socket.IO's defaults, each overridable.
    public init(
        engine: EngineIOServerConfiguration = EngineIOServerConfiguration(),
        connection: SocketIOConnection.Configuration = SocketIOConnection.Configuration(),
        adapter: @escaping AdapterFactory = { InMemoryAdapter(namespace: $0, localSockets: $1) }
    ) {
        self.engine = engine
        self.connection = connection
        self.adapter = adapter
    }
}
