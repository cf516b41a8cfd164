import NIOCore

/// The NIO channel handler of one WebSocket connection (server side): decodes and assembles
/// frames with the pure codec, answers pings, runs the close handshake (with a timeout), sends
/// automatic pings, fails the connection with the right close code on a protocol error, and
/// frames (and compresses) outbound messages.
///
/// Inbound it emits `WebSocketMessage`s (or, for a callback-driven socket, hands them to its
/// `WebSocketCallbacks`), outbound it takes `WebSocketOutbound`. The close frame that ended the
/// connection (the peer's, or the code the server failed it with, or 1006 when the TCP
/// connection dropped) completes `closed`.
public final class WebSocketConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    /// Raw bytes from the socket.
    public typealias InboundIn = ByteBuffer
    /// Complete data messages passed on to the application.
    public typealias InboundOut = WebSocketMessage
    /// What the application sends: messages, pings and close.
    public typealias OutboundIn = WebSocketOutbound
    /// Framed (and possibly compressed) bytes for the socket.
    public typealias OutboundOut = ByteBuffer

    private enum State {
        /// Messages flow both ways.
        case open
        /// We sent a close frame and wait for the peer's.
        case closing
        /// The peer broke the protocol right after messages the application has not answered
        /// yet: nothing more is read, the application may still send for `failureGracePeriod`,
        /// then the connection is failed.
        case failing
        /// We failed the connection or finished the handshake; only waiting for TCP to end.
        case closed
    }

    // The settings used after set-up (not the whole configuration: one of these per connection).
    private let closeTimeout: TimeAmount
    private let autoPing: AutoPing
    private let minimumCompressedMessageSize: Int
    private var state = State.open
    private var decoder: WebSocketFrameDecoder
    private var assembler: WebSocketMessageAssembler
    private let compressor: ZlibCompressor?
    private var closeFrame: WebSocketCloseFrame?
    private let closedPromise: EventLoopPromise<WebSocketCloseFrame>?
    /// Where messages and the end go for a callback-driven socket; nil: down the pipeline.
    /// Set by the upgrader right after the handler is added, before anything is read.
    var callbacks: WebSocketCallbacks?
    /// The handler's context while it is in the pipeline: `writeDirectly` uses it.
    private var context: ChannelHandlerContext?
    private var closeTimer: Scheduled<Void>?
    private var pingTimer: Scheduled<Void>?
    private var receivedReads: UInt64 = 0
    private var needsFlush = false
    /// True while `channelRead` hands messages to the callbacks: their writes share the one
    /// flush made when the read is done.
    private var isDeliveringRead = false
    /// A `read()` held back while the channel is not writable (callback-driven sockets).
    private var readIsPending = false
    private var messagesDeliveredInRead = 0
    /// How long the application may still answer messages received just before a protocol
    /// error (peers such as Autobahn expect those answers before the close frame).
    static let failureGracePeriod = TimeAmount.milliseconds(20)
    private var isFinished = false

    /// - Parameters:
    ///   - configuration: limits, auto-ping and close timeout.
    ///   - compression: the negotiated permessage-deflate parameters, or nil.
    ///   - closed: completed with the close frame that ended the connection.
    public convenience init(
        configuration: WebSocketConfiguration, compression: PerMessageDeflateParameters?,
        closed: EventLoopPromise<WebSocketCloseFrame>
    ) {
        self.init(configuration: configuration, compression: compression, closedPromise: closed)
    }

    /// A handler that completes `closedPromise` when given; without it, a handler for a
    /// callback-driven socket (set `callbacks` before the first read).
    init(
        configuration: WebSocketConfiguration, compression: PerMessageDeflateParameters?,
        closedPromise: EventLoopPromise<WebSocketCloseFrame>?
    ) {
        closeTimeout = configuration.closeTimeout
        autoPing = configuration.autoPing
        minimumCompressedMessageSize = configuration.compression?.minimumCompressedMessageSize ?? 0
        decoder = WebSocketFrameDecoder(maxFrameSize: configuration.maxFrameSize, expectsMaskedFrames: true)
        assembler = WebSocketMessageAssembler(maxMessageSize: configuration.maxMessageSize, compression: compression)
        compressor = compression.map { parameters in
            ZlibCompressor(windowBits: parameters.serverMaxWindowBits,
                           level: configuration.compression?.compressionLevel ?? -1,
                           memoryLevel: configuration.compression?.memoryLevel ?? 8,
                           noContextTakeover: parameters.serverNoContextTakeover)
        }
        self.closedPromise = closedPromise
    }

    /// Starts the automatic-ping timer when the channel is already active (the upgrade case).
    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { scheduleNextPing(context: context) }
    }

    /// Cancels the timers and completes `closed` (1006 if no close frame was seen).
    public func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        finish(context: context)
    }

    /// Starts the automatic-ping timer.
    public func channelActive(context: ChannelHandlerContext) {
        scheduleNextPing(context: context)
        context.fireChannelActive()
    }

    /// Cancels the timers and completes `closed` (1006 if no close frame was seen).
    public func channelInactive(context: ChannelHandlerContext) {
        finish(context: context)
        context.fireChannelInactive()
    }

    /// The peer closed its sending side (the HTTP server allows half-closure): nothing more can
    /// arrive, so the connection ends — 1006 when no close frame came first (RFC 6455 §7.1.5).
    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Decodes frames from the bytes read, assembles messages and handles control frames; a
    /// protocol error fails the connection with the error's close code (1002, 1007 or 1009).
    /// Answers (pongs, and a callback-driven socket's writes made while its messages are
    /// delivered) are flushed once, when the read's frames are all handled.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        receivedReads &+= 1
        guard state == .open || state == .closing else { return }
        messagesDeliveredInRead = 0
        decoder.append(unwrapInboundIn(data))
        isDeliveringRead = true
        defer {
            isDeliveringRead = false
            if needsFlush {
                needsFlush = false
                context.flush()
            }
        }
        do {
            while state == .open || state == .closing, let frame = try decoder.nextFrame() {
                guard let event = try assembler.receive(frame) else { continue }
                handle(event, context: context)
            }
            if state == .open || state == .closing, let part = decoder.incompleteFrame(
                payloadFrom: assembler.incompleteFrameCheckedBytes, if: assembler.wantsIncompleteFrame
            ) {
                try assembler.inspectIncompleteFrame(part)
            }
        } catch {
            fail(error, context: context)
        }
    }

    /// Flushes pending control-frame answers; keeps reading while closing so the peer's close
    /// frame arrives even when the application stopped consuming.
    public func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        // The application may have stopped consuming messages; keep reading until the peer's
        // close frame (or EOF) arrives.
        if state != .open { context.read() }
        context.fireChannelReadComplete()
    }

    /// Holds a callback-driven socket's reads back while the channel is not writable, so a peer
    /// that sends without reading its answers cannot make the server queue them without bound
    /// (a task-driven socket's async writer waits instead).
    public func read(context: ChannelHandlerContext) {
        if callbacks != nil && state == .open && !context.channel.isWritable {
            readIsPending = true
            return
        }
        context.read()
    }

    /// Resumes a read held back by `read(context:)` once the channel is writable again.
    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        if readIsPending && context.channel.isWritable {
            readIsPending = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    /// Records 1006 ("connection error") unless a close frame was already seen, and closes the channel.
    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if closeFrame == nil { closeFrame = WebSocketCloseFrame(code: .abnormalClosure, reason: "connection error") }
        context.close(promise: nil)
    }

    /// Frames (and compresses) an outbound message, ping or close; a message written while the
    /// connection is closing fails its promise with `WebSocketClosedError`.
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        write(unwrapOutboundIn(data), context: context, promise: promise)
    }

    /// Writes and flushes `outbound` as `channel.writeAndFlush` would, without passing through
    /// the pipeline from its tail (no handler follows this one on a callback-driven socket):
    /// no boxing, cast or pipeline walk per message, which a broadcast does for every socket.
    /// Call on the event loop. Dropped once the handler has left the pipeline. Made from the
    /// socket's own `onMessage`, the flush waits for the end of the read (one per read).
    func writeDirectly(_ outbound: WebSocketOutbound) {
        guard let context else { return }
        write(outbound, context: context, promise: nil)
        if isDeliveringRead {
            needsFlush = true
        } else {
            context.flush()
        }
    }

    private func write(_ outbound: WebSocketOutbound, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        switch outbound {
        case .message(let message):
            guard state == .open || state == .failing else { return promise?.fail(WebSocketClosedError()) ?? () }
            switch message {
            case .text(let text):
                writeMessage(opcode: .text, payload: context.channel.allocator.buffer(string: text), context: context,
                             promise: promise)
            case .binary(let bytes):
                writeMessage(opcode: .binary, payload: bytes, context: context, promise: promise)
            }
        case .prepared(let message):
            guard state == .open || state == .failing else { return promise?.fail(WebSocketClosedError()) ?? () }
            if compressor == nil {
                // Shared, already framed bytes: nothing to convert, copy or allocate per connection.
                context.write(wrapOutboundOut(message.frame), promise: promise)
            } else {
                writeMessage(opcode: message.opcode, payload: message.payload, context: context, promise: promise)
            }
        case .ping(let payload):
            guard state == .open || state == .failing else { return promise?.fail(WebSocketClosedError()) ?? () }
            writeFrame(WebSocketFrame(opcode: .ping, payload: payload), context: context, promise: promise)
        case .close(let frame):
            guard state == .open else { return promise?.succeed() ?? () }
            state = .closing
            writeFrame(WebSocketFrame(opcode: .close, payload: frame.payload), context: context, promise: promise)
            context.flush()
            closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: closeTimeout) {
                if self.closeFrame == nil { self.closeFrame = WebSocketCloseFrame(code: .abnormalClosure, reason: "close timeout") }
                context.close(promise: nil)
            }
        }
    }

    private func handle(_ event: WebSocketEvent, context: ChannelHandlerContext) {
        switch event {
        case .message(let message):
            if state == .open {
                messagesDeliveredInRead += 1
                if let callbacks {
                    callbacks.onMessage(message)
                } else {
                    context.fireChannelRead(wrapInboundOut(message))
                }
            }
        case .ping(let payload):
            if state == .open {
                writeFrame(WebSocketFrame(opcode: .pong, payload: payload), context: context, promise: nil)
                needsFlush = true
            }
        case .pong:
            break
        case .close(let frame):
            closeFrame = frame
            if state == .open {
                let reply = WebSocketCloseFrame(code: frame.code)
                sendCloseAndClose(reply, context: context)
            } else {
                state = .closed
                context.close(promise: nil)
            }
        }
    }

    /// Fails the connection: sends the error's close code, then closes.
    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        let failure = error as? WebSocketProtocolError
            ?? WebSocketProtocolError(closeCode: .internalServerError, reason: "internal error")
        let frame = WebSocketCloseFrame(code: failure.closeCode, reason: failure.reason)
        if closeFrame == nil { closeFrame = frame }
        if state == .open && messagesDeliveredInRead > 0 {
            state = .failing
            pingTimer?.cancel()
            closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.failureGracePeriod) {
                self.sendCloseAndClose(frame, context: context)
            }
        } else if state == .open {
            sendCloseAndClose(frame, context: context)
        } else {
            state = .closed
            context.close(promise: nil)
        }
    }

    /// Writes a close frame and closes the connection once it is out: the output side first, so
    /// that the peer reads the frame before seeing the end of the stream, then fully after the
    /// peer closes or the close timeout.
    private func sendCloseAndClose(_ frame: WebSocketCloseFrame, context: ChannelHandlerContext) {
        state = .closed
        pingTimer?.cancel()
        let written = context.eventLoop.makePromise(of: Void.self)
        writeFrame(WebSocketFrame(opcode: .close, payload: frame.payload), context: context, promise: written)
        context.flush()
        written.futureResult.assumeIsolated().whenComplete { _ in
            let outputClosed = context.eventLoop.makePromise(of: Void.self)
            context.close(mode: .output, promise: outputClosed)
            outputClosed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        }
        closeTimer?.cancel()
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: closeTimeout) {
            context.close(promise: nil)
        }
    }

    /// Writes a data message as one frame, compressed when permessage-deflate is on and the
    /// message is large enough.
    private func writeMessage(
        opcode: WebSocketOpcode, payload: ByteBuffer, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?
    ) {
        var payload = payload
        var compressed = false
        if let compressor, payload.readableBytes >= minimumCompressedMessageSize {
            payload = compressor.compress(payload)
            compressed = true
        }
        writeFrame(WebSocketFrame(rsv1: compressed, opcode: opcode, payload: payload), context: context, promise: promise)
    }

    private func writeFrame(_ frame: WebSocketFrame, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let length = frame.payload.readableBytes
        if length <= 1024 {
            var buffer = context.channel.allocator.buffer(capacity: 4 + length)
            WebSocketFrameEncoder.encode(frame, into: &buffer)
            context.write(wrapOutboundOut(buffer), promise: promise)
        } else {
            var header = context.channel.allocator.buffer(capacity: 10)
            WebSocketFrameEncoder.writeHeader(of: frame, payloadLength: length, into: &header)
            context.write(wrapOutboundOut(header), promise: nil)
            context.write(wrapOutboundOut(frame.payload), promise: promise)
        }
    }

    /// Schedules the next automatic ping check: a ping after `interval` without any read, and
    /// a close (1001) when nothing arrives within `timeout` of that ping.
    private func scheduleNextPing(context: ChannelHandlerContext) {
        guard case .enabled(let interval, let timeout) = autoPing.kind, state == .open else { return }
        pingTimer?.cancel()
        let readsBefore = receivedReads
        pingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            guard self.state == .open else { return }
            guard self.receivedReads == readsBefore else { return self.scheduleNextPing(context: context) }
            self.writeFrame(WebSocketFrame(opcode: .ping), context: context, promise: nil)
            context.flush()
            let readsAtPing = self.receivedReads
            self.pingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                guard self.state == .open else { return }
                guard self.receivedReads == readsAtPing else { return self.scheduleNextPing(context: context) }
                let frame = WebSocketCloseFrame(code: .goingAway, reason: "ping timeout")
                self.closeFrame = frame
                self.sendCloseAndClose(frame, context: context)
            }
        }
    }

    private func finish(context: ChannelHandlerContext) {
        guard !isFinished else { return }
        isFinished = true
        state = .closed
        pingTimer?.cancel()
        closeTimer?.cancel()
        pingTimer = nil
        closeTimer = nil
        let frame = closeFrame ?? WebSocketCloseFrame(code: .abnormalClosure)
        closedPromise?.succeed(frame)
        if closedPromise == nil {
            // A turn of its own: the close may come from inside a write the application makes
            // while it holds its own lock.
            context.eventLoop.assumeIsolated().execute {
                self.callbacks?.onClose(frame)
                self.callbacks = nil
            }
        }
    }
}
