import Foundation
import SessionKit
import Synchronization

/// A MemoryStore that records which operations reached it, or fails every call when told to.
final class RecordingStore: SessionStore {
    enum Operation: Equatable, Sendable {
        case get, set, destroy, touch, update
    }

    let backing: MemoryStore
    private let log = Mutex<[Operation]>([])
    private let failing = Mutex(false)

    init(clock: SessionClock) {
        backing = MemoryStore(clock: clock)
    }

    var operations: [Operation] { log.withLock { $0 } }
    var wasWritten: Bool { operations.contains(.set) || operations.contains(.update) }
    var wasTouched: Bool { operations.contains(.touch) }

    func resetLog() { log.withLock { $0.removeAll() } }
    func setFailing(_ value: Bool) { failing.withLock { $0 = value } }

    private func record(_ operation: Operation) throws {
        if failing.withLock({ $0 }) { throw SessionStoreError.unavailable("connection refused") }
        log.withLock { $0.append(operation) }
    }

    func get(_ id: String) async throws -> SessionData? {
        try record(.get)
        return try await backing.get(id)
    }

    func set(_ id: String, _ data: SessionData) async throws {
        try record(.set)
        try await backing.set(id, data)
    }

    func destroy(_ id: String) async throws {
        try record(.destroy)
        try await backing.destroy(id)
    }

    func touch(_ id: String, _ data: SessionData) async throws {
        try record(.touch)
        try await backing.touch(id, data)
    }

    func ids() async throws -> [String] { try await backing.ids() }
    func all() async throws -> [String: SessionData] { try await backing.all() }
    func length() async throws -> Int { try await backing.length() }
    func clear() async throws { try await backing.clear() }

    func update(
        _ id: String,
        _ transform: @Sendable (inout SessionData?) throws -> Void
    ) async throws -> SessionData? {
        try record(.update)
        return try await backing.update(id, transform)
    }
}
