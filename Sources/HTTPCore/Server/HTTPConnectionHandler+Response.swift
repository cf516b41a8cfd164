import NIOCore

/// Writing responses: complete and streamed bodies, keep-alive or close, errors, upgrades.
extension HTTPConnectionHandler {
    /// Writes the responder's answer to the request in progress (on the event loop).
    func deliver(_ response: Response) {
        guard case .responding(let head) = state, let context else { return }
        if response.status.code == 101, let upgrade = response.upgrade {
            upgradeConnection(response: response, upgrade: upgrade, head: head)
            return
        }
        let responseContext = HTTPResponseContext(
            requestMethod: head.method, requestVersion: head.version, keepAlive: head.isKeepAlive && !quiescing)
        scratch.clear()
        let result = serializer.writeHead(of: response, for: responseContext, into: &scratch)
        switch response.body {
        case .bytes(var bytes):
            if case .contentLength = result.framing, bytes.readableBytes > 0 {
                if bytes.readableBytes <= Self.coalesceLimit {
                    scratch.writeBuffer(&bytes)
                    context.write(wrapOutboundOut(scratch), promise: nil)
                } else {
                    context.write(wrapOutboundOut(scratch), promise: nil)
                    context.write(wrapOutboundOut(bytes), promise: nil)
                }
            } else {
                context.write(wrapOutboundOut(scratch), promise: nil)
            }
            completeResponse(keepAlive: result.keepAlive)
        case .stream(let produce):
            context.write(wrapOutboundOut(scratch), promise: nil)
            guard result.framing != .none else {
                completeResponse(keepAlive: result.keepAlive)
                return
            }
            context.flush()
            if case .contentLength(let length) = result.framing { streamRemaining = length }
            state = .streaming(head, result.framing, keepAlive: result.keepAlive)
            startStream(produce)
        }
    }

    /// After a response's last bytes are written: wait for the next request or close.
    func completeResponse(keepAlive: Bool) {
        lifetime?.requestFinished()
        guard keepAlive, let context else {
            closeAfterWrites()
            return
        }
        let leftover = parser.takeUnconsumedBytes()
        if leftover.readableBytes > 0 {
            parser.feed(leftover)
            state = .readingHead
            arm(.now() + configuration.headerReadTimeout)
            if context.channel.isWritable {
                guard continueWithBufferedRequests() else { return }
            } else {
                answersBacklogged = true  // `channelWritabilityChanged` continues
            }
        } else if quiescing || inputClosed {
            closeAfterWrites()
            return
        } else {
            state = .idle
            arm(.now() + configuration.idleTimeout)
        }
        switch state {
        case .responding, .streaming, .upgrading:
            scheduleFlush()
        case .idle, .readingHead, .readingBody:
            context.flush()
        case .closed:
            return
        }
        resumeReading()
    }

    /// Answers the pipelined requests buffered in the parser (state `.readingHead`); false when
    /// the connection is closing because the client shut its side down before a complete request.
    @discardableResult
    func continueWithBufferedRequests() -> Bool {
        processInput()
        switch state {
        case .readingHead where inputClosed, .readingBody where inputClosed:
            closeAfterWrites()
            return false
        default:
            return true
        }
    }

    /// Flushes once the event loop has run what is queued, so the answers to pipelined requests
    /// that complete in the same turn go out in one write.
    private func scheduleFlush() {
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            self.context?.flush()
        }
    }

    /// Answers `error` as JSON with `Connection: close`, then closes.
    func sendErrorAndClose(_ error: HTTPError) {
        guard let context else { return }
        let responseContext = HTTPResponseContext(requestMethod: .get, requestVersion: .http1_1, keepAlive: false)
        scratch.clear()
        _ = serializer.writeResponse(Response(error: error), for: responseContext, into: &scratch)
        context.write(wrapOutboundOut(scratch), promise: nil)
        closeAfterWrites()
    }

    /// Flushes, shuts the output down once everything is written, and closes when the client
    /// closes too (or after `lingerTimeout`), so that unread request bytes do not turn the close
    /// into a reset that destroys the response.
    func closeAfterWrites() {
        guard let context else { return }
        state = .closed
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in
            if self.inputClosed {
                context.close(promise: nil)
                return
            }
            let shutdown = context.eventLoop.makePromise(of: Void.self)
            context.close(mode: .output, promise: shutdown)
            shutdown.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        }
        arm(.now() + Self.lingerTimeout)
        resumeReading()
    }

    // MARK: Upgrade

    /// Writes the 101 response, leaves the pipeline, lets the new protocol install itself and
    /// hands it the bytes that followed the request.
    private func upgradeConnection(response: Response, upgrade: HTTPUpgrade, head: HTTPRequestHead) {
        guard let context else { return }
        state = .upgrading
        deadline = nil
        timer?.cancel()
        timer = nil
        let responseContext = HTTPResponseContext(
            requestMethod: head.method, requestVersion: head.version, keepAlive: true)
        scratch.clear()
        _ = serializer.writeHead(of: response, for: responseContext, into: &scratch)
        context.writeAndFlush(wrapOutboundOut(scratch), promise: nil)
        let channel = context.channel
        let pending = parser.takeUnconsumedBytes()
        let logger = logger
        context.pipeline.syncOperations.removeHandler(context: context).flatMap {
            upgrade.configure(channel)
        }.whenComplete { result in
            switch result {
            case .success:
                if pending.readableBytes > 0 { channel.pipeline.fireChannelRead(pending) }
                channel.read()
            case .failure(let error):
                logger.debug("upgrade failed", metadata: ["error": "\(error)"])
                channel.close(promise: nil)
            }
        }
    }
}
