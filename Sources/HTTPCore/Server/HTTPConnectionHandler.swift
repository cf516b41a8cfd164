import Logging
import NIOCore

/// Serves HTTP/1.1 on one connection: feeds received bytes to an `HTTPRequestParser`, runs one
/// request at a time through the responder and writes the responses in order.
///
/// Backpressure: requests are answered one at a time; bytes that arrive meanwhile (pipelined
/// requests) wait in the parser's buffer. `read()` is held back once 64 KiB wait there, while the
/// channel is not writable (a client that does not read its responses), and during an upgrade,
/// so a slow handler or a slow client stops the server from reading more. Pipelined requests
/// already buffered are not answered while earlier answers are not drained either, so a client
/// that sends but never reads cannot make the server queue answers without bound; if the answers
/// make no progress for the header-read timeout, the connection is closed (408). (Reading is not
/// paused for every request: toggling the socket's read interest costs two `epoll_ctl` calls per
/// request.) Responses to pipelined requests that are ready in the same event-loop turn share
/// one flush.
///
/// Timers: one deadline at a time — idle (between requests), header read (from a head's first
/// byte until it is complete; then, while the body arrives, the same span of silence between two
/// reads) or linger (after the output was shut down, until the client closes too).
final class HTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum State {
        /// Between requests, nothing of the next one received yet.
        case idle
        /// Part of the next request head is buffered.
        case readingHead
        /// The head arrived; collecting the body.
        case readingBody(HTTPRequestHead, ByteBuffer)
        /// The responder is working on this request.
        case responding(HTTPRequestHead)
        /// The head of a streamed response is written; the body follows.
        case streaming(HTTPRequestHead, HTTPResponseFraming, keepAlive: Bool)
        /// A 101 response was accepted; the handler leaves the pipeline.
        case upgrading
        /// Nothing more is answered; the connection is closing.
        case closed
    }

    /// How long a connection whose output is shut down waits for the client to close.
    static let lingerTimeout = TimeAmount.seconds(2)
    /// How many received bytes may wait in the parser (pipelined requests not answered yet)
    /// before reading stops.
    static let maxBytesWaiting = 64 * 1024
    /// Bodies up to this size are copied behind the head, larger ones are written separately.
    static let coalesceLimit = 16 * 1024

    let responder: any HTTPResponder
    let configuration: HTTPServerConfiguration
    let logger: Logger
    var parser: HTTPRequestParser
    var serializer = HTTPResponseSerializer()
    var state = State.idle
    let eventLoop: any EventLoop
    let startTask: RequestTaskStarter
    var context: ChannelHandlerContext?
    var remoteAddress: SocketAddress?
    /// A `read()` was held back and must be issued when reading may resume.
    var readPending = false
    /// The client shut its side down: answer what was received, then close.
    var inputClosed = false
    /// Pipelined requests wait in the parser until the answers already written drain (the channel
    /// becomes writable again).
    var answersBacklogged = false
    /// When the channel last became writable: answers to this client are still moving.
    var lastDrained = NIODeadline.now()
    /// The server is shutting down: answer what is in progress, then close.
    var quiescing = false
    var flushScheduled = false
    /// `dispatch` is starting a request's task, whose synchronous part runs on this thread now.
    var dispatching = false
    var scratch = ByteBuffer()
    var deadline: NIODeadline?
    var timer: Scheduled<Void>?
    var timerFireTime: NIODeadline?
    /// Bytes still owed by a streamed body with a declared `Content-Length`.
    var streamRemaining = 0
    var writabilityWaiter: EventLoopPromise<Void>?
    /// Made on the first request; tells handlers of in-flight requests that the client went away.
    var lifetime: HTTPConnectionLifetime?

    init(responder: any HTTPResponder, configuration: HTTPServerConfiguration, logger: Logger, eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.startTask = RequestTaskStarter(eventLoop: eventLoop, execution: configuration.handlerExecution)
        self.responder = responder
        self.configuration = configuration
        self.logger = logger
        self.parser = HTTPRequestParser(configuration: configuration.parser)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        scratch = context.channel.allocator.buffer(capacity: 512)
        if context.channel.isActive { connectionStarted(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        connectionStarted(context: context)
        context.fireChannelActive()
    }

    private func connectionStarted(context: ChannelHandlerContext) {
        remoteAddress = context.channel.remoteAddress
        arm(.now() + configuration.headerReadTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .closed
        deadline = nil
        timer?.cancel()
        timer = nil
        writabilityWaiter?.fail(ChannelError.ioOnClosedChannel)
        writabilityWaiter = nil
        lifetime?.close()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        switch state {
        case .closed:
            return
        case .idle:
            state = .readingHead
            arm(.now() + configuration.headerReadTimeout)
        case .readingBody:
            arm(.now() + configuration.headerReadTimeout)
        case .readingHead, .responding, .streaming, .upgrading:
            break
        }
        parser.feed(bytes)
        switch state {
        case .readingHead where !answersBacklogged, .readingBody where !answersBacklogged: processInput()
        default: break
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            lastDrained = .now()
            if let waiter = writabilityWaiter {
                writabilityWaiter = nil
                waiter.succeed()
            }
            if answersBacklogged {
                answersBacklogged = false
                arm(.now() + configuration.headerReadTimeout)
                continueWithBufferedRequests()
            }
            resumeReading()
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiescing = true
            if case .idle = state { closeAfterWrites() }
        } else if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            switch state {
            case .responding, .streaming:
                lifetime?.close()  // answered first; `completeResponse` then closes
            case .upgrading:
                break
            case .readingHead where answersBacklogged, .readingBody where answersBacklogged:
                break  // the buffered requests are answered once the earlier answers drain
            case .idle, .readingHead, .readingBody, .closed:
                state = .closed
                context.close(promise: nil)
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["error": "\(error)"])
        state = .closed
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        switch state {
        case .upgrading:
            readPending = true
        case .responding, .streaming, .idle, .readingHead, .readingBody:
            if parser.bufferedByteCount >= Self.maxBytesWaiting || !context.channel.isWritable {
                readPending = true
            } else {
                context.read()
            }
        case .closed:
            context.read()
        }
    }

    /// Issues a `read()` that was held back, once reading may resume.
    func resumeReading() {
        guard readPending, let context else { return }
        switch state {
        case .upgrading:
            return
        case .responding, .streaming, .idle, .readingHead, .readingBody:
            guard parser.bufferedByteCount < Self.maxBytesWaiting, context.channel.isWritable else { return }
        case .closed:
            break
        }
        readPending = false
        context.read()
    }

    /// Pulls parts from the parser until a request is complete (then answers it) or more bytes
    /// are needed.
    func processInput() {
        while true {
            let part: HTTPRequestPart?
            do {
                part = try parser.next()
            } catch {
                sendErrorAndClose(HTTPError(error.status, reason: error.reason))
                return
            }
            guard let part else {
                resumeReading()  // the buffered bytes were parsed: a held read may go on
                return
            }
            switch part {
            case .head(let head):
                arm(.now() + configuration.headerReadTimeout)
                if head.expectsContinue && head.version.minor >= 1 && head.version.major == 1 {
                    var line = context!.channel.allocator.buffer(capacity: 25)
                    HTTPResponseSerializer.writeContinue(into: &line)
                    context!.writeAndFlush(wrapOutboundOut(line), promise: nil)
                }
                state = .readingBody(head, ByteBuffer())
            case .body(var chunk):
                guard case .readingBody(let head, var body) = state else { return }
                state = .readingHead
                if body.readableBytes == 0 {
                    body = chunk
                } else {
                    body.writeBuffer(&chunk)
                }
                state = .readingBody(head, body)
            case .end:
                guard case .readingBody(let head, let body) = state else { return }
                deadline = nil
                dispatch(head: head, body: body)
                return
            }
        }
    }

    /// Starts the responder on a complete request.
    private func dispatch(head: HTTPRequestHead, body: ByteBuffer) {
        state = .responding(head)
        let lifetime = self.lifetime ?? HTTPConnectionLifetime()
        self.lifetime = lifetime
        var request = Request(
            head: head, body: body, remoteAddress: remoteAddress, connection: lifetime,
            isSecure: configuration.connectionSetup?.isEncrypted ?? false)
        if !configuration.trustedProxies.isEmpty { configuration.trustedProxies.apply(to: &request) }
        let dispatched = request
        let responder = responder
        let eventLoop = eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        dispatching = true
        defer { dispatching = false }
        startTask.startImmediately {
            let response = await responder.respond(to: dispatched)
            // A responder that never suspended finished inside `dispatch` (inside `processInput`):
            // deliver from a fresh event-loop turn, so answering pipelined requests does not recurse.
            if eventLoop.inEventLoop && !handler.value.dispatching {
                handler.value.deliver(response)
            } else {
                eventLoop.execute { handler.value.deliver(response) }
            }
        }
    }
}
