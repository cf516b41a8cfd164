import NIOCore

/// What the application asks the connection to send; the connection handler frames it.
public enum WebSocketOutbound: Sendable, Equatable {
    /// A data message, compressed when permessage-deflate is on and it is large enough.
    case message(WebSocketMessage)
    /// A data message framed once and shared by many connections (a broadcast).
    case prepared(WebSocketPreparedMessage)
    /// A ping with up to 125 bytes of application data.
    case ping(ByteBuffer)
    /// Starts the close handshake (or completes it when the peer started it).
    case close(WebSocketCloseFrame)
}

/// Thrown when sending on a connection that is closing or closed.
public struct WebSocketClosedError: Error, Sendable, CustomStringConvertible {
    /// The error.
    public init() {}
    /// A fixed text saying the connection is closing or closed.
    public var description: String { "the WebSocket connection is closing or closed" }
}
