import Dispatch
import NIOCore

/// The single timer of a live Engine.IO session or Socket.IO connection: a one-shot dispatch
/// timer source that runs its action at a deadline. Re-arming cancels the previous one.
///
/// Not a sleeping `Task`: a cancelled `Task.sleep` leaves its wake-up job (a task of about
/// 1 KB) queued until the original deadline, so every connection that closed kept ~2 KB for up
/// to its ping interval and connect timeout (25 s and 45 s by default) — 20 MB at 480
/// connect/disconnect cycles a second (`make soak`, scenario b). A cancelled dispatch source is
/// released at once.
///
/// Not thread-safe by itself: it is only touched while its owner holds its lock.
struct EngineIOTimer: Sendable {
    private var source: Source?

    /// An unarmed timer.
    init() {}

    /// Runs `fire` at `deadline` (at once when it already passed), replacing any earlier arming.
    /// `fire` runs on a global dispatch queue and never before `deadline` (`NIODeadline` clock).
    mutating func arm(_ deadline: NIODeadline, fire: @escaping @Sendable () -> Void) {
        source?.cancel()
        source = Source(deadline: deadline, fire: fire)
    }

    /// Cancels the pending run, if any.
    mutating func cancel() {
        source?.cancel()
        source = nil
    }

    /// One armed dispatch timer.
    ///
    /// `@unchecked Sendable`: the wrapped source is created, resumed and cancelled only through
    /// this wrapper, whose owner (`EngineIOTimer`) is only touched under its owner's lock;
    /// dispatch sources themselves may be cancelled from any thread.
    private final class Source: @unchecked Sendable {
        private let timer: any DispatchSourceTimer

        init(deadline: NIODeadline, fire: @escaping @Sendable () -> Void) {
            timer = DispatchSource.makeTimerSource(queue: .global())
            timer.setEventHandler { Self.fire(at: deadline, fire) }
            timer.schedule(deadline: Self.dispatchTime(deadline), leeway: .milliseconds(1))
            timer.resume()
        }

        func cancel() { timer.cancel() }

        /// Runs `fire`, or waits a little more if the dispatch clock ran ahead of NIO's.
        private static func fire(at deadline: NIODeadline, _ fire: @escaping @Sendable () -> Void) {
            let early = deadline - NIODeadline.now()
            guard early.nanoseconds > 0 else { return fire() }
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(early.nanoseconds))) {
                Self.fire(at: deadline, fire)
            }
        }

        private static func dispatchTime(_ deadline: NIODeadline) -> DispatchTime {
            let delay = deadline - NIODeadline.now()
            return .now() + .nanoseconds(Int(max(0, delay.nanoseconds)))
        }
    }
}
