import NIOCore

/// A complete WebSocket data message: text (valid UTF-8) or binary.
public enum WebSocketMessage: Sendable, Equatable {
    case text(String)
    case binary(ByteBuffer)
}

/// What the peer sent, after frames are assembled: a data message or a control frame.
public enum WebSocketEvent: Sendable, Equatable {
    case message(WebSocketMessage)
    /// A ping with its application data (to be echoed in a pong).
    case ping(ByteBuffer)
    case pong(ByteBuffer)
    case close(WebSocketCloseFrame)
}
