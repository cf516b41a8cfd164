import SessionKit

/// Runs this process's updates of one session id one after another.
///
/// Compare-and-set alone is correct but, with many local writers on one id, nearly every attempt
/// would conflict; queueing them locally leaves only other processes to race against. While
/// updates of an id are queued it also remembers the last value written, so the next update
/// can skip decoding when Redis still holds exactly those bytes.
actor SessionUpdateQueue {
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var written: [String: (bytes: [UInt8], data: SessionData)] = [:]

    /// The session last written for `id` by a queued update, if `bytes` are still what Redis holds.
    func decoded(_ id: String, from bytes: [UInt8]) -> SessionData? {
        guard let entry = written[id], entry.bytes == bytes else { return nil }
        return entry.data
    }

    /// Remembers what an update of `id` wrote, for the next queued update.
    func wrote(_ id: String, bytes: [UInt8], data: SessionData) {
        written[id] = (bytes, data)
    }

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
            written[id] = nil
        } else {
            let next = queue.removeFirst()
            waiting[id] = queue
            next.resume()
        }
    }
}
