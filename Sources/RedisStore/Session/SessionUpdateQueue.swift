/// Runs this process's updates of one session id one after another.
///
/// Compare-and-set alone is correct but, with many local writers on one id, nearly every attempt
/// would conflict; queueing them locally leaves only other processes to race against.
actor SessionUpdateQueue {
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` once no other update of `id` from this process is running.
    func withExclusiveAccess<T: Sendable>(to id: String, _ body: () async throws -> T) async throws -> T {
        await acquire(id)
        defer { release(id) }
        return try await body()
    }

    private func acquire(_ id: String) async {
        if waiting[id] == nil {
            waiting[id] = []
            return
        }
        await withCheckedContinuation { continuation in waiting[id, default: []].append(continuation) }
    }

    private func release(_ id: String) {
        guard var queue = waiting[id] else { return }
        if queue.isEmpty {
            waiting[id] = nil
        } else {
            let next = queue.removeFirst()
            waiting[id] = queue
            next.resume()
        }
    }
}
