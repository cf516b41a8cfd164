import Foundation
import SessionKit
import Synchronization

/// A MemoryStore that, like RedisSessionStore, can restart the expiry while loading; it records
/// each call with the expiry it was given (TTL seconds computed as connect-redis does).
final class TouchOnLoadStore: TouchOnLoadSessionStore, ForwardingStore {
    enum Operation: Equatable, Sendable {
        case get, getSettingExpiry(Int), set, destroy, touch(Int?), update
    }

    let backing: MemoryStore
    let clock: SessionClock
    /// Whether `get(_:settingExpiry:)` reports the expiry as set (false: an old Redis).
    let canSetExpiry: Bool
    private let log = Mutex<[Operation]>([])

    init(clock: SessionClock, canSetExpiry: Bool = true) {
        backing = MemoryStore(clock: clock)
        self.clock = clock
        self.canSetExpiry = canSetExpiry
    }

    var operations: [Operation] { log.withLock { $0 } }
    func resetLog() { log.withLock { $0.removeAll() } }
    private func record(_ operation: Operation) { log.withLock { $0.append(operation) } }

    func willForward(_ call: StoreCall) {
        switch call {
        case .get: record(.get)
        case .set: record(.set)
        case .destroy: record(.destroy)
        case .touch(let data): record(.touch(touchExpiry(for: data)))
        case .update: record(.update)
        }
    }

    func touchExpiry(for data: SessionData) -> Int? {
        guard let expires = data.cookie.expires else { return 86400 }
        let milliseconds = JavaScriptDate.milliseconds(expires) - JavaScriptDate.milliseconds(clock.now())
        return Int((Double(milliseconds) / 1000).rounded(.up))
    }

    func get(_ id: String, settingExpiry expiry: Int) async throws -> (data: SessionData, expirySet: Bool)? {
        record(.getSettingExpiry(expiry))
        return try await backing.get(id).map { ($0, canSetExpiry) }
    }
}
