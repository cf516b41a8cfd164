import NIOCore

/// Writes to one callback-driven WebSocket connection (see `WebSocketCallbacks`): messages are
/// framed, written and flushed on the connection's event loop in the order queued, with no task
/// switch for the caller. A value of two words; copy it freely.
///
/// There is no backpressure (the caller bounds what it queues), and what is queued once the
/// connection is closing is dropped.
public struct WebSocketWriter: Sendable {
    private let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
    }

    /// The event loop of the connection: `enqueue` called on it writes at once, without a hop.
    public var eventLoop: any EventLoop { channel.eventLoop }

    /// Queues a message.
    public func enqueue(_ message: WebSocketMessage) {
        channel.writeAndFlush(WebSocketOutbound.message(message), promise: nil)
    }

    /// Queues a message prepared once for many connections: without permessage-deflate on this
    /// connection, its encoded frame is written as it is, shared.
    public func enqueue(_ message: WebSocketPreparedMessage) {
        channel.writeAndFlush(WebSocketOutbound.prepared(message), promise: nil)
    }

    /// Starts the close handshake after the messages already queued. The connection ends when
    /// the peer answers or at the close timeout; `WebSocketCallbacks.onClose` then runs.
    public func enqueueClose(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        channel.writeAndFlush(WebSocketOutbound.close(WebSocketCloseFrame(code: code, reason: reason)), promise: nil)
    }
}
