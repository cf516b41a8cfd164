import SessionKit

/// A store call as the test stores see it before forwarding it to their MemoryStore.
enum StoreCall {
    case get, set, destroy, update
    /// A touch, with the session it was given (its cookie decides the expiry).
    case touch(SessionData)
}

/// A test store that hands every call to a MemoryStore after telling `willForward(_:)`, which may
/// record the call or throw to make it fail.
protocol ForwardingStore: SessionStore {
    /// The store that does the work.
    var backing: MemoryStore { get }
    /// Called before each forwarded call; a thrown error fails the call.
    func willForward(_ call: StoreCall) throws
}

extension ForwardingStore {
    func get(_ id: String) async throws -> SessionData? {
        try willForward(.get)
        return try await backing.get(id)
    }

    func set(_ id: String, _ data: SessionData) async throws {
        try willForward(.set)
        try await backing.set(id, data)
    }

    func destroy(_ id: String) async throws {
        try willForward(.destroy)
        try await backing.destroy(id)
    }

    func touch(_ id: String, _ data: SessionData) async throws {
        try willForward(.touch(data))
        try await backing.touch(id, data)
    }

    func update(
        _ id: String,
        _ transform: @Sendable (inout SessionData?) throws -> Void
    ) async throws -> SessionData? {
        try willForward(.update)
        return try await backing.update(id, transform)
    }

    func ids() async throws -> [String] { try await backing.ids() }
    func all() async throws -> [String: SessionData] { try await backing.all() }
    func length() async throws -> Int { try await backing.length() }
    func clear() async throws { try await backing.clear() }
}
