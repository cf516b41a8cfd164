import NIOCore
import NIOPosix

/// The single timer of a live Engine.IO session or Socket.IO connection: a task scheduled on
/// an event loop that runs its action at a deadline. Re-arming cancels the previous one.
///
/// A scheduled NIO task costs a few dozen bytes and no thread while it waits (a sleeping Swift
/// `Task` per idle connection cost far more), which matters at tens of thousands of idle
/// connections.
///
/// Not thread-safe by itself: it is only touched while its owner holds its lock.
struct EngineIOTimer: Sendable {
    private var scheduled: Scheduled<Void>?

    /// An unarmed timer.
    init() {}

    /// Runs `fire` at `deadline` (soon when it already passed), replacing any earlier arming.
    /// `fire` runs on an event loop (the caller's when it is on one) and must not block.
    mutating func arm(_ deadline: NIODeadline, fire: @escaping @Sendable () -> Void) {
        scheduled?.cancel()
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        scheduled = loop.scheduleTask(deadline: deadline) { fire() }
    }

    /// Cancels the pending run, if any.
    mutating func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}
