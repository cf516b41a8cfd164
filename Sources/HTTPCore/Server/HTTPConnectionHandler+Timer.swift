import NIOCore

/// The connection's single deadline (idle, header read, body silence or linger) and what
/// happens when it passes. Moving a deadline later does not reschedule the timer: when it fires
/// early it re-arms itself for the remaining time, so a busy keep-alive connection schedules
/// almost no timers.
extension HTTPConnectionHandler {
    /// Sets the connection's one deadline, rescheduling the timer only when it would fire late.
    func arm(_ newDeadline: NIODeadline) {
        deadline = newDeadline
        if let fireTime = timerFireTime, fireTime <= newDeadline { return }
        timer?.cancel()
        scheduleTimer(at: newDeadline)
    }

    func scheduleTimer(at time: NIODeadline) {
        guard let context else { return }
        timerFireTime = time
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: time) { self.timerFired() }
    }

    func timerFired() {
        timer = nil
        timerFireTime = nil
        guard let deadline, let context else { return }
        if deadline > .now() {
            scheduleTimer(at: deadline)
            return
        }
        self.deadline = nil
        switch state {
        case .idle:
            if !context.channel.isWritable, .now() - lastDrained < configuration.idleTimeout {
                // The last answer is still draining to a client that reads it (the channel
                // became writable within the idle timeout): closing now would cut it short, so
                // the idle time counts from when it is written, as Node's keep-alive timeout does.
                arm(.now() + configuration.idleTimeout)
                return
            }
            logger.trace("idle connection closed")
            state = .closed
            context.close(promise: nil)
        case .readingHead, .readingBody:
            logger.debug("request not received in time")
            sendErrorAndClose(HTTPError(.requestTimeout))
        case .closed:
            context.close(promise: nil)
        case .responding, .streaming, .upgrading:
            break
        }
    }
}
