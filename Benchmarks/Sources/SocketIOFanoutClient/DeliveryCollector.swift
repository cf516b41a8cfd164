import NIOConcurrencyHelpers
import NIOCore

/// Receive times of every broadcast, by sequence number, shared by the clients of all event
/// loops; wakes the driver when all expected clients got one broadcast.
final class DeliveryCollector: Sendable {
    private struct State {
        var expected = 0
        var times: [Int: [UInt64]] = [:]
        var waiters: [Int: EventLoopPromise<Bool>] = [:]
    }

    private let state = NIOLockedValueBox(State())

    /// Sets how many clients receive every broadcast (the connected ones).
    func expect(clients: Int) { state.withLockedValue { $0.expected = clients } }

    /// Records one delivery of broadcast `seq` at `time` (monotonic nanoseconds).
    func record(seq: Int, time: UInt64) {
        let complete = state.withLockedValue { state -> EventLoopPromise<Bool>? in
            state.times[seq, default: []].append(time)
            guard state.times[seq]!.count == state.expected else { return nil }
            return state.waiters.removeValue(forKey: seq)
        }
        complete?.succeed(true)
    }

    /// A future that is true when every client got broadcast `seq`, false at the deadline.
    /// Call it before sending the broadcast.
    func completion(of seq: Int, on loop: any EventLoop, deadline: NIODeadline) -> EventLoopFuture<Bool> {
        let promise = loop.makePromise(of: Bool.self)
        state.withLockedValue { $0.waiters[seq] = promise }
        loop.scheduleTask(deadline: deadline) { [state] in
            let late = state.withLockedValue { $0.waiters.removeValue(forKey: seq) }
            late?.succeed(false)
        }
        return promise.futureResult
    }

    /// The receive times of broadcast `seq` so far.
    func times(of seq: Int) -> [UInt64] { state.withLockedValue { $0.times[seq] ?? [] } }
}
