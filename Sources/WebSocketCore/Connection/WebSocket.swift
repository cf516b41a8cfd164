import HTTPCore
import NIOCore

/// One accepted WebSocket connection, as the application sees it: an inbound sequence of
/// messages (control frames are handled for you), senders that wait while the peer is slow,
/// and the close handshake.
///
/// ```swift
/// for try await message in socket.messages {
///     if case .text(let text) = message { try await socket.send(text: text) }
/// }
/// ```
public struct WebSocket: Sendable {
    /// The upgrade request (headers, cookies, extensions such as the session).
    public let request: Request
    /// The subprotocol agreed in the handshake, if any.
    public let subprotocol: String?
    /// The received messages, in order; ends when the connection closes. Single consumer.
    public let messages: Messages
    private let outbound: NIOAsyncChannelOutboundWriter<WebSocketOutbound>
    private let closedFuture: EventLoopFuture<WebSocketCloseFrame>
    private let channel: any Channel

    init(
        request: Request, subprotocol: String?, inbound: NIOAsyncChannelInboundStream<WebSocketMessage>,
        outbound: NIOAsyncChannelOutboundWriter<WebSocketOutbound>, closed: EventLoopFuture<WebSocketCloseFrame>,
        channel: any Channel
    ) {
        self.request = request
        self.subprotocol = subprotocol
        self.messages = Messages(base: inbound)
        self.outbound = outbound
        self.closedFuture = closed
        self.channel = channel
    }

    /// Sends a text message; waits while the connection is not writable. Throws when the
    /// connection is closing or closed.
    public func send(text: String) async throws {
        try await outbound.write(.message(.text(text)))
    }

    /// Sends a binary message; waits while the connection is not writable.
    public func send(binary: ByteBuffer) async throws {
        try await outbound.write(.message(.binary(binary)))
    }

    /// Sends a message; waits while the connection is not writable.
    public func send(_ message: WebSocketMessage) async throws {
        try await outbound.write(.message(message))
    }

    /// The event loop of the connection: `enqueue` called on it writes at once, without a hop.
    public var eventLoop: any EventLoop { channel.eventLoop }

    /// The connection's queued, non-waiting writes (what the `enqueue` methods use).
    private var writer: WebSocketWriter { WebSocketWriter(channel: channel) }

    /// Queues a message without waiting: it is framed, written and flushed on the connection's
    /// event loop, in the order of the `enqueue` calls, with no task switch for the caller.
    /// There is no backpressure (the caller bounds what it queues, as a broadcast does), and
    /// a message queued once the connection is closing is dropped. Messages passed to `send`
    /// before this call are written first.
    public func enqueue(_ message: WebSocketMessage) {
        writer.enqueue(message)
    }

    /// Queues a message prepared once for many connections (see `enqueue(_:)`): without
    /// permessage-deflate on this connection, its encoded frame is written as it is, shared.
    public func enqueue(_ message: WebSocketPreparedMessage) {
        writer.enqueue(message)
    }

    /// Starts the close handshake without waiting (see `close(code:reason:)`): queued after the
    /// messages already enqueued. The connection ends when the peer answers or at the close
    /// timeout; `messages` then finishes.
    public func enqueueClose(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        writer.enqueueClose(code: code, reason: reason)
    }

    /// Sends a ping (at most 125 bytes of data).
    public func ping(_ data: ByteBuffer = ByteBuffer()) async throws {
        try await outbound.write(.ping(data))
    }

    /// Starts the close handshake and waits until the connection is closed: when the peer
    /// answers, or after the configured close timeout. Returns the frame that ended the
    /// connection (the peer's answer, normally). Safe to call more than once.
    @discardableResult
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") async -> WebSocketCloseFrame {
        try? await outbound.write(.close(WebSocketCloseFrame(code: code, reason: reason)))
        return await closed
    }

    /// Waits until the connection is closed and returns the close frame that ended it: the
    /// peer's close frame (code nil when it had none), the code the server failed the
    /// connection with (1002, 1007, 1009, 1001 after a ping timeout), or 1006 when TCP dropped.
    public var closed: WebSocketCloseFrame {
        get async {
            (try? await closedFuture.get()) ?? WebSocketCloseFrame(code: .abnormalClosure)
        }
    }

    /// The received messages of one connection.
    public struct Messages: AsyncSequence, Sendable {
        /// Each element is one complete data message (text or binary).
        public typealias Element = WebSocketMessage
        let base: NIOAsyncChannelInboundStream<WebSocketMessage>

        /// An iterator over the messages in the order received.
        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(base: base.makeAsyncIterator())
        }

        /// Iterates the received messages; throws if the channel failed.
        public struct AsyncIterator: AsyncIteratorProtocol {
            var base: NIOAsyncChannelInboundStream<WebSocketMessage>.AsyncIterator

            /// The next message; nil once the connection has closed, or throws if the channel failed.
            public mutating func next() async throws -> WebSocketMessage? {
                try await base.next()
            }
        }
    }
}
