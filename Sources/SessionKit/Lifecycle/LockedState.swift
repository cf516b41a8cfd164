import Foundation

/// A value guarded by a lock, for reference types that must be `Sendable` on every platform
/// SessionKit supports (`Synchronization.Mutex` needs macOS 15).
final class LockedState<Value>: @unchecked Sendable {
    // Invariant that makes @unchecked Sendable safe: `value` is only read or written inside
    // `withLock`, which holds `lock` for the whole access, and it is never handed out by reference.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
