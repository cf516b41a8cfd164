/// The namespaces a predicate serves (`SocketIOServer.of(matching:)`): middleware and
/// connection handlers registered here apply to every child namespace.
public struct SocketIODynamicNamespace: Sendable {
    let handlers: SocketIONamespaceHandlers

    /// Adds a connection middleware for every child namespace.
    public func use(_ middleware: @escaping SocketIOMiddleware) { handlers.use(middleware) }

    /// Adds a connection handler for every child namespace (`socket.namespace` tells which).
    public func onConnection(_ handler: @escaping @Sendable (SocketIOSocket) async -> Void) {
        handlers.onConnection(handler)
    }
}
