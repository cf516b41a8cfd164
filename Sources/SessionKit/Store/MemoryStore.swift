import Foundation

/// An in-process `SessionStore`, the embedded default (like express-session's `MemoryStore`, but
/// with expiry sweeping and an optional size bound).
///
/// - Expiry comes from each session's `cookie.expires`; sessions without one live until destroyed
///   or evicted. Expired sessions are never returned: they are dropped when touched by any
///   operation, and every `sweepInterval` (measured on the injected clock) the next operation
///   sweeps all of them. No background task is started, so nothing outlives the store.
/// - With `maxEntries`, adding a session to a full store first sweeps, then evicts the session
///   that expires soonest (sessions without expiry count as expiring last; ties go to the least
///   recently written).
/// - Being an actor, every operation is atomic; `update` runs its transform exactly once.
public actor MemoryStore: SessionStore {
    private struct Entry {
        var data: SessionData
        var writeSequence: UInt64
    }

    private var entries: [String: Entry] = [:]
    private var writeSequence: UInt64 = 0
    private var lastSweep: Date
    private let maxEntries: Int?
    private let sweepInterval: TimeInterval
    private let clock: SessionClock

    /// A store holding at most `maxEntries` sessions (nil: unbounded) that sweeps expired sessions
    /// at most every `sweepInterval` (default 60 s), reading time from `clock`.
    public init(maxEntries: Int? = nil, sweepInterval: Duration = .seconds(60), clock: SessionClock = .system) {
        precondition(maxEntries.map { $0 > 0 } ?? true, "maxEntries must be positive")
        self.maxEntries = maxEntries
        let components = sweepInterval.components
        self.sweepInterval = Double(components.seconds) + Double(components.attoseconds) / 1e18
        self.clock = clock
        self.lastSweep = clock.now()
    }

    /// The live session `id`, or nil (an expired one is dropped).
    public func get(_ id: String) async throws -> SessionData? {
        liveData(id, now: maintain())
    }

    /// Stores a copy of `data`; data whose cookie already expired removes the session instead.
    public func set(_ id: String, _ data: SessionData) async throws {
        store(id, data, now: maintain())
    }

    /// Removes session `id`.
    public func destroy(_ id: String) async throws {
        _ = maintain()
        entries[id] = nil
    }

    /// Replaces the stored cookie (and so the expiry) of a live session, keeping its user data.
    public func touch(_ id: String, _ data: SessionData) async throws {
        let now = maintain()
        guard var current = liveData(id, now: now) else { return }
        current.cookie = data.cookie
        store(id, current, now: now)
    }

    /// Ids of all live sessions (sweeps expired ones first).
    public func ids() async throws -> [String] {
        sweep(now: clock.now())
        return Array(entries.keys)
    }

    /// All live sessions by id (sweeps expired ones first).
    public func all() async throws -> [String: SessionData] {
        sweep(now: clock.now())
        return entries.mapValues(\.data)
    }

    /// Number of live sessions (sweeps expired ones first).
    public func length() async throws -> Int {
        sweep(now: clock.now())
        return entries.count
    }

    /// Removes every session.
    public func clear() async throws {
        entries.removeAll()
    }

    /// Runs `transform` on the live session `id` (nil when absent) and stores the result, atomically
    /// thanks to actor isolation: `transform` runs exactly once.
    @discardableResult
    public func update(
        _ id: String,
        _ transform: @Sendable (inout SessionData?) throws -> Void
    ) async throws -> SessionData? {
        let now = maintain()
        let current = liveData(id, now: now)
        var updated = current
        try transform(&updated)
        if let updated {
            store(id, updated, now: now)
        } else if current != nil {
            entries[id] = nil
        }
        return liveData(id, now: now)
    }

    /// Sweeps when the sweep interval has passed; returns the time used for this operation.
    private func maintain() -> Date {
        let now = clock.now()
        if now.timeIntervalSince(lastSweep) >= sweepInterval {
            sweep(now: now)
        }
        return now
    }

    private func sweep(now: Date) {
        lastSweep = now
        entries = entries.filter { !$0.value.data.cookie.isExpired(now: now) }
    }

    private func liveData(_ id: String, now: Date) -> SessionData? {
        guard let entry = entries[id] else { return nil }
        if entry.data.cookie.isExpired(now: now) {
            entries[id] = nil
            return nil
        }
        return entry.data
    }

    private func store(_ id: String, _ data: SessionData, now: Date) {
        if data.cookie.isExpired(now: now) {
            entries[id] = nil
            return
        }
        if let maxEntries, entries[id] == nil, entries.count >= maxEntries {
            sweep(now: now)
            while entries.count >= maxEntries, let victim = evictionCandidate() {
                entries[victim] = nil
            }
        }
        writeSequence += 1
        entries[id] = Entry(data: data, writeSequence: writeSequence)
    }

    private func evictionCandidate() -> String? {
        entries.min { lhs, rhs in
            let left = lhs.value.data.cookie.expires ?? .distantFuture
            let right = rhs.value.data.cookie.expires ?? .distantFuture
            if left != right { return left < right }
            return lhs.value.writeSequence < rhs.value.writeSequence
        }?.key
    }
}
