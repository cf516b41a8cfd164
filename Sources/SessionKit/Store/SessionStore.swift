/// Where sessions live between requests: an in-process `MemoryStore`, Redis, or anything else.
///
/// The operations mirror express-session's store interface (get, set, destroy, touch, ids/all/
/// length/clear) plus `update`, an atomic read-modify-write. Every method is `async throws`: a store
/// that cannot answer (Redis down, a corrupt record) throws — it never pretends the session does
/// not exist, because that would log the user out. Hosts answer such errors with 503.
///
/// Stores decide expiry from `SessionData.cookie.expires` (or their own default TTL when the cookie
/// has none) and must not return an expired session.
public protocol SessionStore: Sendable {
    /// The session stored under `id`, or nil when there is none (or it expired).
    func get(_ id: String) async throws -> SessionData?

    /// Stores `data` under `id`, replacing what was there and restarting its expiry from `data.cookie`.
    func set(_ id: String, _ data: SessionData) async throws

    /// Removes the session `id`; removing a session that does not exist is not an error.
    func destroy(_ id: String) async throws

    /// Restarts the expiry of session `id` from `data.cookie` without rewriting its user data.
    /// Does nothing when the session does not exist.
    func touch(_ id: String, _ data: SessionData) async throws

    /// The ids of all live sessions, each once, in no particular order.
    func ids() async throws -> [String]

    /// All live sessions by id.
    func all() async throws -> [String: SessionData]

    /// The number of live sessions.
    func length() async throws -> Int

    /// Removes every session of this store.
    func clear() async throws

    /// Atomically reads session `id`, applies `transform` and writes the result back.
    ///
    /// `transform` receives the current data (nil when there is no live session) and may change it,
    /// set it to nil to destroy the session, or leave it nil to do nothing. If another writer changed
    /// the session in between, the store re-reads and re-applies `transform` (compare-and-set with
    /// retry), so concurrent updates never lose each other's changes; `transform` may therefore run
    /// more than once and must not have side effects. An error thrown by `transform` aborts the
    /// update without writing.
    ///
    /// - Returns: the data as written (nil when the session does not exist afterwards).
    @discardableResult
    func update(_ id: String, _ transform: @Sendable (inout SessionData?) throws -> Void) async throws -> SessionData?
}
