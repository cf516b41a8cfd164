import NIOConcurrencyHelpers

/// The queries this instance has in flight: collects the answers of each request until as many
/// instances answered as were subscribed when it was published, or fails it at its timeout.
final class RedisAdapterPendingRequests: Sendable {
    private struct Pending {
        var continuation: CheckedContinuation<[SocketIOSocketDetails], any Error>
        var sockets: [SocketIOSocketDetails] = []
        var answered: Set<String> = []
        /// Known once the publish returned how many subscribers received the request.
        var expected: Int?
        var timer: Task<Void, Never>?

        var isComplete: Bool { expected.map { answered.count >= $0 } ?? false }
    }

    private let pending = NIOLockedValueBox([String: Pending]())

    /// Registers request `id`, runs `publish` (which returns how many other instances received the
    /// request) and waits for their answers, at most `timeout`.
    ///
    /// - Throws: `SocketIOAdapterError` on timeout (no partial answer), or what `publish` threw.
    func perform(
        id: String, timeout: Duration, publish: @escaping @Sendable () async throws -> Int
    ) async throws -> [SocketIOSocketDetails] {
        try await withCheckedThrowingContinuation { continuation in
            pending.withLockedValue { $0[id] = Pending(continuation: continuation) }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                self.timeOut(id, after: timeout)
            }
            pending.withLockedValue { $0[id]?.timer = timer }
            Task {
                do {
                    let receivers = try await publish()
                    self.update(id) { $0.expected = receivers }
                } catch {
                    self.finish(id, with: .failure(error))
                }
            }
        }
    }

    /// Records the answer of instance `uid` to request `id`.
    func received(_ response: RedisAdapterResponse) {
        update(response.requestID) { pending in
            guard pending.answered.insert(response.uid).inserted else { return }
            pending.sockets += response.sockets
        }
    }

    private func update(_ id: String, _ change: (inout Pending) -> Void) {
        let done = pending.withLockedValue { requests -> Pending? in
            guard var request = requests[id] else { return nil }
            change(&request)
            guard request.isComplete else {
                requests[id] = request
                return nil
            }
            requests[id] = nil
            return request
        }
        guard let done else { return }
        done.timer?.cancel()
        done.continuation.resume(returning: done.sockets)
    }

    private func timeOut(_ id: String, after timeout: Duration) {
        let request = pending.withLockedValue { $0.removeValue(forKey: id) }
        guard let request else { return }
        request.continuation.resume(
            throwing: SocketIOAdapterError.timedOut(
                answered: request.answered.count, expected: request.expected ?? request.answered.count + 1,
                after: timeout))
    }

    private func finish(_ id: String, with result: Result<[SocketIOSocketDetails], any Error>) {
        let request = pending.withLockedValue { $0.removeValue(forKey: id) }
        guard let request else { return }
        request.timer?.cancel()
        request.continuation.resume(with: result)
    }
}
