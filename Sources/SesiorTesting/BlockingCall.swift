import Foundation

/// Runs `body`, a call that blocks (a read on a socket or a pipe, a wait for a process), on a
/// thread of its own and awaits its result.
///
/// Swift Testing runs a suite's tests as tasks on the cooperative pool, which has one thread per
/// core (two on the CI machine). A test that blocks one of them halves what every other test
/// gets, in-process servers included; two such tests at once stall them all for as long as they
/// block, and clients with timeouts (python-engineio's 7-second write loop) then give up.
public func blockingCall<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}
