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
