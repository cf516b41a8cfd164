import NIOConcurrencyHelpers

/// The queries this instance has in flight: collects the answers of each request until as many
/// answers arrived as other instances were subscribed to the request channel when it was
/// published (responses carry no instance id, so they are counted), or fails it at its timeout.
final class RedisAdapterPendingRequests: Sendable {
    private struct Pending {
        var continuation: CheckedContinuation<[RedisAdapterResponse], any Error>
        var responses: [RedisAdapterResponse] = []
        /// Known once the publish returned how many subscribers received the request.
        var expected: Int?
        var timer: Task<Void, Never>?

        var isComplete: Bool { expected.map { responses.count >= $0 } ?? false }
    }

    private let pending = NIOLockedValueBox([String: Pending]())
    /// Requests whose answers stream in (broadcasts with acks), by id, for their lingering time.
    private let listeners = NIOLockedValueBox([String: @Sendable (RedisAdapterResponse) -> Void]())

    /// Hands every answer to request `id` to `onResponse` for `lingering` (a broadcast with acks,
    /// whose answers are not counted).
    func listen(to id: String, for lingering: Duration, onResponse: @escaping @Sendable (RedisAdapterResponse) -> Void) {
        listeners.withLockedValue { $0[id] = onResponse }
        Task {
            try? await Task.sleep(for: lingering)
            self.listeners.withLockedValue { $0[id] = nil }
        }
    }

    /// Registers request `id`, runs `publish` (which returns how many other instances received the
    /// request) and waits for their answers, at most `timeout`.
    ///
    /// - Throws: `SocketIOAdapterError` on timeout (no partial answer), or what `publish` threw.
    func perform(
        id: String, timeout: Duration, publish: @escaping @Sendable () async throws -> Int
    ) async throws -> [RedisAdapterResponse] {
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

    /// Records an answer (or hands it to its listener); false when no request of this instance
    /// has its id.
    @discardableResult
    func received(_ response: RedisAdapterResponse) -> Bool {
        if let listener = listeners.withLockedValue({ $0[response.requestID] }) {
            listener(response)
            return true
        }
        guard pending.withLockedValue({ $0[response.requestID] != nil }) else { return false }
        update(response.requestID) { $0.responses.append(response) }
        return true
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
        done.continuation.resume(returning: done.responses)
    }

    private func timeOut(_ id: String, after timeout: Duration) {
        let request = pending.withLockedValue { $0.removeValue(forKey: id) }
        guard let request else { return }
        request.continuation.resume(
            throwing: SocketIOAdapterError.timedOut(
                answered: request.responses.count, expected: request.expected ?? request.responses.count + 1,
                after: timeout))
    }

    private func finish(_ id: String, with result: Result<[RedisAdapterResponse], any Error>) {
        let request = pending.withLockedValue { $0.removeValue(forKey: id) }
        guard let request else { return }
        request.timer?.cancel()
        request.continuation.resume(with: result)
    }
}
