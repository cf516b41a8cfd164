import NIOCore

/// Writes to one callback-driven WebSocket connection (see `WebSocketCallbacks`): messages are
/// framed, written and flushed on the connection's event loop in the order queued, with no task
/// switch for the caller. A small value; copy it freely.
///
/// Written from the socket's own `onMessage`, messages share one flush at the end of the read
/// that delivered them (an echo of several frames read at once is one `writev`).
///
/// There is no backpressure for the caller (it bounds what it queues; the socket stops reading
/// while its channel is not writable), and what is queued once the connection is closing is
/// dropped.
public struct WebSocketWriter: Sendable {
    private let channel: any Channel
    /// The connection's handler, when nothing follows it in the pipeline (a callback-driven
    /// socket): a write made on the event loop goes to it directly.
    private let handler: NIOLoopBound<WebSocketConnectionHandler>?

    init(channel: any Channel, handler: NIOLoopBound<WebSocketConnectionHandler>? = nil) {
        self.channel = channel
        self.handler = handler
    }

    /// The event loop of the connection: `enqueue` called on it writes at once, without a hop.
    public var eventLoop: any EventLoop { handler?.eventLoop ?? channel.eventLoop }

    /// Queues a message.
    public func enqueue(_ message: WebSocketMessage) {
        write(.message(message))
    }

    /// Queues a message prepared once for many connections: without permessage-deflate on this
    /// connection, its encoded frame is written as it is, shared.
    public func enqueue(_ message: WebSocketPreparedMessage) {
        write(.prepared(message))
    }

    /// On the event loop, straight to the handler (same order and effect as the pipeline);
    /// elsewhere, through the channel, which hops to the loop.
    private func write(_ outbound: WebSocketOutbound) {
        if let handler, handler.eventLoop.inEventLoop {
            handler.value.writeDirectly(outbound)
        } else {
            channel.writeAndFlush(outbound, promise: nil)
        }
    }

    /// Starts the close handshake after the messages already queued. The connection ends when
    /// the peer answers or at the close timeout; `WebSocketCallbacks.onClose` then runs.
    public func enqueueClose(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        write(.close(WebSocketCloseFrame(code: code, reason: reason)))
    }
}
