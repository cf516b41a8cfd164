import Foundation
import SessionKit
import Synchronization

/// A MemoryStore that records which operations reached it, or fails every call when told to.
final class RecordingStore: ForwardingStore {
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

    func willForward(_ call: StoreCall) throws {
        if failing.withLock({ $0 }) { throw SessionStoreError.unavailable("connection refused") }
        let operation: Operation
        switch call {
        case .get: operation = .get
        case .set: operation = .set
        case .destroy: operation = .destroy
        case .touch: operation = .touch
        case .update: operation = .update
        }
        log.withLock { $0.append(operation) }
    }
}
