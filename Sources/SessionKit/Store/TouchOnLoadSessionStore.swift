/// A `SessionStore` that can restart a session's expiry in the same operation that reads it
/// (Redis: `GETEX key EX ttl`), so a read-only request costs the store one round trip instead of
/// a `get` followed by a `touch`.
///
/// `SessionLifecycle` uses it only where the outcome equals express-session's: it asks for the
/// expiry that `touch` would set for a session with the configured cookie options, loads with
/// that expiry, and at commit sends the ordinary `touch` anyway unless the expiry `touch` would
/// set then is the same value. A save (`set`), a destroy or a changed `maxAge` therefore still
/// writes what express-session would.
public protocol TouchOnLoadSessionStore: SessionStore {
    /// The expiry `touch(id, data)` would give a session with `data` right now, in the store's own
    /// comparable unit (RedisSessionStore: the TTL in whole seconds), or nil when `touch` would do
    /// nothing (touch or expiry disabled). Two calls that return the same value set the same expiry.
    func touchExpiry(for data: SessionData) -> Int?

    /// Reads session `id` like `get` and, when it exists, sets its expiry to `expiry` (a positive
    /// value from `touchExpiry(for:)`) in the same operation.
    ///
    /// - Returns: the session data and whether its expiry was set (false when the store found
    ///   that it cannot, e.g. a Redis older than 6.2; the caller must then `touch` as usual), or
    ///   nil when there is no such session.
    func get(_ id: String, settingExpiry expiry: Int) async throws -> (data: SessionData, expirySet: Bool)?
}
