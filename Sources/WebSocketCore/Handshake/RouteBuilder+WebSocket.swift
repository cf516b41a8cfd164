import HTTPCore

extension RouteBuilder {
    /// Adds a WebSocket endpoint at `path` (GET): the handshake is validated after the
    /// middleware chain has run (so the request carries cookies and the session), refused
    /// requests get their status (400, 403, 426), and `handler` runs for every accepted socket.
    public mutating func webSocket(
        _ path: String,
        configuration: WebSocketConfiguration = WebSocketConfiguration(),
        handler: @escaping @Sendable (WebSocket) async throws -> Void
    ) {
        let upgrader = WebSocketUpgrader(configuration: configuration, handler: handler)
        get(path) { request in try upgrader.response(for: request) }
    }
}
