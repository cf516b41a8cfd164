import NIOCore

/// A complete WebSocket data message: text (valid UTF-8) or binary.
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message, already validated as UTF-8.
    case text(String)
    /// A binary message.
    case binary(ByteBuffer)
}

/// What the peer sent, after frames are assembled: a data message or a control frame.
public enum WebSocketEvent: Sendable, Equatable {
    /// A complete data message.
    case message(WebSocketMessage)
    /// A ping with its application data (to be echoed in a pong).
    case ping(ByteBuffer)
    /// A pong with its application data.
    case pong(ByteBuffer)
    /// A close frame received from the peer.
    case close(WebSocketCloseFrame)
}
