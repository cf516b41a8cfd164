import NIOCore

/// The single timer of a live Engine.IO session or Socket.IO connection: a task that sleeps
/// until a deadline and then runs its action. Re-arming cancels the previous task.
///
/// Not thread-safe by itself: it is only touched while its owner holds its lock.
struct EngineIOTimer: Sendable {
    private var task: Task<Void, Never>?

    /// An unarmed timer.
    init() {}

    /// Runs `fire` at `deadline` (at once when it already passed), replacing any earlier arming.
    mutating func arm(_ deadline: NIODeadline, fire: @escaping @Sendable () -> Void) {
        task?.cancel()
        task = Task {
            let delay = deadline - NIODeadline.now()
            if delay.nanoseconds > 0 {
                do { try await Task.sleep(nanoseconds: UInt64(delay.nanoseconds)) } catch { return }
            }
            guard !Task.isCancelled else { return }
            fire()
        }
    }

    /// Cancels the pending run, if any.
    mutating func cancel() {
        task?.cancel()
        task = nil
    }
}
