/// What a callback-driven WebSocket (see `WebSocketUpgrader.init(configuration:open:)`) calls
/// on its connection's event loop: no task, stream or buffer per connection while it is idle.
///
/// The callbacks run on the event loop and must not block. `onMessage` gets each complete data
/// message in order; `onClose` is called once, last, in an event-loop turn of its own (never from
/// inside a write the application is making), with the close frame that ended the connection:
/// the peer's, the code the server failed it with, or 1006 when TCP dropped.
public struct WebSocketCallbacks: Sendable {
    /// Called with each received data message, in order.
    public var onMessage: @Sendable (WebSocketMessage) -> Void
    /// Called once when the connection has closed.
    public var onClose: @Sendable (WebSocketCloseFrame) -> Void

    /// Callbacks for messages and for the end of the connection.
    public init(
        onMessage: @escaping @Sendable (WebSocketMessage) -> Void,
        onClose: @escaping @Sendable (WebSocketCloseFrame) -> Void
    ) {
        self.onMessage = onMessage
        self.onClose = onClose
    }
}
