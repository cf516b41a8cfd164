import NIOCore

/// One command on its way to the handler: encoded bytes and the promise of its reply.
struct RedisRequest {
    /// The RESP bytes to write.
    var bytes: ByteBuffer
    /// Completed with the reply (the last one when `expectedReplies` > 1).
    var promise: EventLoopPromise<RESPValue>
    /// Replies this request produces: 1, or one per channel for SUBSCRIBE and friends.
    var expectedReplies = 1
    /// Overrides the handler's command timeout (used for the connect handshake).
    var deadline: NIODeadline?
    /// The error a missed `deadline` produces.
    var timeoutError: RedisError?
}

/// Pipelines Redis commands over one channel: writes each request, keeps a FIFO of pending
/// promises and completes them in order as hiredis parses replies from the bytes read.
///
/// A reply not in by its deadline fails every pending command with a timeout and closes the
/// channel: the reply stream can no longer be matched to requests. In subscriber mode
/// (`onPush` set), `message`/`pmessage` pushes go to `onPush` instead of the FIFO.
/// Lives on its channel's event loop; the hiredis reader inside never leaves it.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<RESPValue>
        var remaining: Int
        var deadline: NIODeadline
        var timeoutError: RedisError
    }

    private let parser = RESPReplyParser()
    private let commandTimeout: TimeAmount
    /// What a command without a deadline of its own fails with when no reply comes in time
    /// (built once, not per command).
    private let defaultTimeoutError: RedisError
    private let onPush: ((RedisPubSubMessage) -> Void)?
    private var pending = CircularBuffer<Pending>(initialCapacity: 64)
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var failure: RedisError?
    /// A flush is queued on the event loop: later writes of this loop turn share its syscall.
    private var flushScheduled = false

    init(commandTimeout: TimeAmount, onPush: ((RedisPubSubMessage) -> Void)? = nil) {
        self.commandTimeout = commandTimeout
        self.defaultTimeoutError = RedisError(
            .commandTimeout, "no reply within \(commandTimeout.prettyDescription); connection closed")
        self.onPush = onPush
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        let timeoutError = request.timeoutError ?? defaultTimeoutError
        pending.append(Pending(
            promise: request.promise, remaining: max(1, request.expectedReplies),
            deadline: request.deadline ?? .now() + commandTimeout, timeoutError: timeoutError))
        context.write(wrapOutboundOut(request.bytes), promise: promise)
        armTimer(context: context, for: pending[pending.index(before: pending.endIndex)].deadline)
    }

    /// Coalesces flushes: the first flush of an event-loop turn is queued behind the tasks already
    /// waiting on the loop (other requests that are about to send commands too), so commands sent
    /// in the same turn leave in one `write` instead of one syscall each, as node-redis pipelines
    /// the commands of one tick.
    func flush(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            context.flush()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { (bytes) throws(RedisError) in try parser.feed(bytes) }
            while let reply = try parser.next() {
                try deliver(reply)
            }
        } catch {
            fail(context: context, with: error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(with: failure ?? .connectionLost)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, with: RedisError(.connectionLost, "connection to Redis failed: \(error)"))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(with: failure ?? .connectionLost)
    }

    private func deliver(_ reply: RESPValue) throws(RedisError) {
        if let onPush, let message = RedisPubSubMessage(push: reply) {
            onPush(message)
            return
        }
        guard !pending.isEmpty else {
            throw .protocolViolation("reply without a pending command: \(reply)")
        }
        pending[pending.startIndex].remaining -= 1
        if pending[pending.startIndex].remaining == 0 {
            pending.removeFirst().promise.succeed(reply)
        }
    }

    /// Makes sure a timer fires no later than `deadline`.
    private func armTimer(context: ChannelHandlerContext, for deadline: NIODeadline) {
        if timer != nil, let timerDeadline, timerDeadline <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            checkDeadlines(context: context)
        }
    }

    private func checkDeadlines(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        if let expired = pending.first(where: { $0.deadline <= now }) {
            fail(context: context, with: expired.timeoutError)
        } else if let earliest = pending.lazy.map(\.deadline).min() {
            armTimer(context: context, for: earliest)
        }
    }

    private func fail(context: ChannelHandlerContext, with error: RedisError) {
        if failure == nil { failure = error }
        failAll(with: error)
        context.close(promise: nil)
    }

    private func failAll(with error: RedisError) {
        if failure == nil { failure = error }
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        while let entry = pending.popFirst() {
            entry.promise.fail(error)
        }
    }
}

extension TimeAmount {
    /// `1.5s`, `300ms`: for error messages.
    var prettyDescription: String {
        let ms = nanoseconds / 1_000_000
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}
