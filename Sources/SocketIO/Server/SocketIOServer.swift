import HTTPCore
import JavaScriptFormats

/// A Socket.IO v5 server over Engine.IO v4 (and protocol 4 over Engine.IO v3 with
/// `EngineIOConfiguration.allowEIO3`), mounted in an HTTPCore `App`.
///
/// ```swift
/// let io = SocketIOServer()
/// io.use { handshake in handshake.cookieHeader == nil ? .refuse("Not authorized") : .allow }
/// io.onConnection { socket in
///     socket.on("chat") { arguments, ack in
///         await socket.broadcast.emit("chat", arguments: arguments)
///         ack?("ok")
///     }
/// }
/// app.use(cookieParser); app.use(session)   // their values reach `handshake.request`
/// io.attach(to: &app)
/// ```
public final class SocketIOServer: Sendable {
    /// The server's settings.
    public let configuration: SocketIOServerConfiguration
    /// The Engine.IO server (an HTTPCore middleware answering the configured path).
    public let engine: EngineIOServer
    let namespaces: SocketIONamespaceRegistry

    /// A server with `configuration`; the main namespace `/` exists from the start.
    public init(configuration: SocketIOServerConfiguration = SocketIOServerConfiguration()) {
        self.configuration = configuration
        let namespaces = SocketIONamespaceRegistry(
            makeAdapter: configuration.resolvedAdapter, metrics: configuration.engine.metrics)
        self.namespaces = namespaces
        let connection = configuration.connection
        self.engine = EngineIOServer(configuration: configuration.engine, makeReceiver: { engineSocket in
            let client = SocketIOClient(engine: engineSocket, namespaces: namespaces, configuration: connection)
            return { event in client.receive(event) }
        })
        _ = namespaces.of("/")
    }

    /// Mounts the server in `app` (add cookie/session middleware before, so handshakes see them).
    public func attach(to app: inout some RouteBuilder) { app.use(engine) }

    /// Closes every connection (sockets disconnect with `"forced close"`).
    public func close() { engine.closeAll() }

    /// The namespace `name` (created on first use).
    public func of(_ name: String) -> SocketIONamespace { namespaces.of(name) }

    /// Serves every namespace `predicate` accepts, created on its first CONNECT.
    public func of(matching predicate: @escaping @Sendable (String) -> Bool) -> SocketIODynamicNamespace {
        SocketIODynamicNamespace(handlers: namespaces.add(predicate))
    }

    /// The main namespace `/`.
    public var main: SocketIONamespace { namespaces.of("/") }

    /// Adds a connection middleware to the main namespace.
    public func use(_ middleware: @escaping SocketIOMiddleware) { main.use(middleware) }

    /// Adds a connection handler to the main namespace.
    public func onConnection(_ handler: @escaping @Sendable (SocketIOSocket) async -> Void) {
        main.onConnection(handler)
    }

    /// Emits to every socket of the main namespace.
    public func emit(_ event: String, _ arguments: SocketIOValue...) async {
        await main.all.emit(event, arguments: arguments)
    }

    /// Targets sockets of the main namespace in `rooms`.
    public func to(_ rooms: String...) -> SocketIOBroadcastOperator { main.all.to(rooms) }

    /// Targets sockets of the main namespace not in `rooms`.
    public func except(_ rooms: String...) -> SocketIOBroadcastOperator { main.all.except(rooms) }
}
