import NIOCore

/// Streamed response bodies: the producer runs in its own task and each `write` waits while the
/// channel is not writable.
extension HTTPConnectionHandler {
    func startStream(_ produce: @escaping @Sendable (any ResponseBodyWriter) async throws -> Void) {
        let eventLoop = eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        let writer = ChannelResponseBodyWriter(handler: handler, eventLoop: eventLoop)
        startTask.start {
            var failure: (any Error)?
            do {
                try await produce(writer)
            } catch {
                failure = error
            }
            if eventLoop.inEventLoop {
                handler.value.finishStream(failure: failure)
            } else {
                eventLoop.execute { handler.value.finishStream(failure: failure) }
            }
        }
    }

    /// Writes one chunk of the streamed body; the future completes when the producer may write
    /// the next one.
    func writeStreamChunk(_ chunk: ByteBuffer) -> EventLoopFuture<Void> {
        guard case .streaming(_, let framing, _) = state, let context else {
            return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        guard chunk.readableBytes > 0 else { return context.eventLoop.makeSucceededVoidFuture() }
        switch framing {
        case .chunked:
            var header = context.channel.allocator.buffer(capacity: 16 + min(chunk.readableBytes, Self.coalesceLimit))
            if chunk.readableBytes <= Self.coalesceLimit {
                HTTPResponseSerializer.writeChunk(chunk, into: &header)
                context.write(wrapOutboundOut(header), promise: nil)
            } else {
                HTTPResponseSerializer.writeChunkHeader(size: chunk.readableBytes, into: &header)
                context.write(wrapOutboundOut(header), promise: nil)
                context.write(wrapOutboundOut(chunk), promise: nil)
                context.write(wrapOutboundOut(ByteBuffer(staticString: "\r\n")), promise: nil)
            }
        case .contentLength:
            guard chunk.readableBytes <= streamRemaining else {
                return context.eventLoop.makeFailedFuture(
                    HTTPServerError(reason: "streamed body longer than its Content-Length"))
            }
            streamRemaining -= chunk.readableBytes
            context.write(wrapOutboundOut(chunk), promise: nil)
        case .untilClose:
            context.write(wrapOutboundOut(chunk), promise: nil)
        case .none:
            return context.eventLoop.makeSucceededVoidFuture()
        }
        context.flush()
        if context.channel.isWritable { return context.eventLoop.makeSucceededVoidFuture() }
        let waiter = writabilityWaiter ?? context.eventLoop.makePromise()
        writabilityWaiter = waiter
        return waiter.futureResult
    }

    /// Ends the streamed body after its producer returned (or threw: then the connection closes,
    /// as the client cannot be told otherwise mid-body).
    func finishStream(failure: (any Error)?) {
        guard case .streaming(_, let framing, let keepAlive) = state, let context else { return }
        if let failure {
            logger.error("streamed response body failed", metadata: ["error": "\(failure)"])
            state = .closed
            context.close(promise: nil)
            return
        }
        switch framing {
        case .chunked:
            var last = context.channel.allocator.buffer(capacity: 5)
            HTTPResponseSerializer.writeLastChunk(into: &last)
            context.write(wrapOutboundOut(last), promise: nil)
        case .contentLength where streamRemaining != 0:
            logger.error("streamed response body shorter than its Content-Length")
            state = .closed
            context.flush()
            context.close(promise: nil)
            return
        case .contentLength, .untilClose, .none:
            break
        }
        completeResponse(keepAlive: keepAlive && framing != .untilClose)
    }
}

/// The `ResponseBodyWriter` handed to a streamed body's producer.
struct ChannelResponseBodyWriter: ResponseBodyWriter {
    let handler: NIOLoopBound<HTTPConnectionHandler>
    let eventLoop: any EventLoop

    func write(_ chunk: ByteBuffer) async throws {
        if eventLoop.inEventLoop {
            try await handler.value.writeStreamChunk(chunk).get()
        } else {
            try await eventLoop.flatSubmit { handler.value.writeStreamChunk(chunk) }.get()
        }
    }
}
