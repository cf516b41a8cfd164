import NIOCore

/// The single timer of a live Engine.IO session or Socket.IO connection: a callback scheduled
/// on an event loop, which costs a slot in the loop's timer queue while it waits (a sleeping
/// Swift `Task` per idle connection cost a task and its frames).
///
/// Arming for a deadline later than the pending one keeps the pending one: it fires early, the
/// owner's state machine finds nothing due and asks again for its next deadline (so a pong,
/// which moves the deadline later every heartbeat, costs no cancellation). Arming earlier
/// cancels it and schedules anew.
///
/// Not thread-safe by itself: it is only touched while its owner holds its lock.
struct EngineIOTimer: Sendable {
    private var scheduled: NIOScheduledCallback?
    private var deadline: NIODeadline?

    /// An unarmed timer.
    init() {}

    /// Calls `handler` on `eventLoop` at `deadline` at the latest (at once when it already
    /// passed); the owner runs its state machine's timer then and re-arms for what is left.
    mutating func arm(
        _ deadline: NIODeadline, on eventLoop: any EventLoop,
        handler: some NIOScheduledCallbackHandler & Sendable
    ) {
        if let pending = self.deadline, pending <= deadline { return }
        scheduled?.cancel()
        // Fails only when the event loop is shutting down; then nothing is armed.
        scheduled = try? eventLoop.scheduleCallback(at: deadline, handler: handler)
        self.deadline = scheduled == nil ? nil : deadline
    }

    /// Called when the callback runs: true when it is the pending one (so the owner should run
    /// its state machine's timer), false for a stale one that an earlier arming replaced.
    mutating func fire(now: NIODeadline) -> Bool {
        guard let deadline, deadline <= now else { return false }
        self.deadline = nil
        scheduled = nil
        return true
    }

    /// Cancels the pending callback, if any.
    mutating func cancel() {
        scheduled?.cancel()
        scheduled = nil
        deadline = nil
    }
}
