import Foundation
import JavaScriptFormats

/// The session of one request: its id, cookie and user data, plus what the lifecycle needs to
/// decide at commit time whether to save, touch and send the cookie.
///
/// A reference type so the code that committed the request sees what the handler changed. All
/// state sits behind a lock, so a `Session` may be shared between tasks. Operations that reach the
/// store (`save`, `reload`, `regenerate`, `destroy`) are forwarded to the `SessionLifecycle` that
/// loaded the session.
public final class Session: Sendable {
    struct State: Sendable {
        var id: String
        var data: SessionData
        /// The id the request's cookie carried after verification (nil: no valid cookie).
        var cookieID: String?
        /// The id at load; a regenerated session counts as modified.
        var originalID: String
        /// `data.values` at load (compared as serialized JSON, as express-session's hash does).
        var originalValues: JSONObject<JSONValue>
        /// `data.values` when last saved (or at load unless `resave`); nil: never.
        var savedValues: JSONObject<JSONValue>?
        /// User data as the store last had it, for merging with concurrent writers; nil: not stored yet.
        var baseline: JSONObject<JSONValue>?
        /// Whether the cookie expiry was already restarted during commit.
        var touched = false
        /// The store expiry set while loading (`TouchOnLoadSessionStore`); nil: none was set.
        var expirySetAtLoad: Int?
        var isUnset = false
        var isDestroyed = false
        var isSecureConnection: Bool
    }

    let state: LockedState<State>
    let lifecycle: SessionLifecycle

    init(state: State, lifecycle: SessionLifecycle) {
        self.state = LockedState(state)
        self.lifecycle = lifecycle
    }

    /// The session id (changes on `regenerate`).
    public var id: String { state.withLock { $0.id } }

    /// A snapshot of the cookie and user data.
    public var data: SessionData { state.withLock { $0.data } }

    /// The session cookie; changing it (e.g. `setMaxAge`) affects the next `Set-Cookie` and the stored expiry.
    public var cookie: SessionCookie {
        get { state.withLock { $0.data.cookie } }
        set { state.withLock { $0.data.cookie = newValue } }
    }

    /// The user data keys, in order.
    public var keys: [String] { state.withLock { Array($0.data.values.keys) } }

    /// Whether this session was created for this request rather than loaded from the cookie's id.
    public var isNew: Bool { state.withLock { $0.cookieID != $0.id } }

    /// Whether the session was unset (`unset()`) or destroyed during this request.
    public var isActive: Bool { state.withLock { !$0.isUnset && !$0.isDestroyed } }

    /// The JSON value under `key`; setting nil removes the key. `cookie` is reserved (reads nil, writes ignored).
    public subscript(key: String) -> JSONValue? {
        get { state.withLock { $0.data[key] } }
        set { state.withLock { $0.data[key] = newValue } }
    }

    /// The value under `key` decoded as `type`, or nil when the key is absent or `null`.
    ///
    /// - Throws: `DecodingError` when the stored value does not have the shape of `type`.
    public func get<T: Decodable>(_ key: String, as type: T.Type = T.self) throws -> T? {
        guard let value = self[key], value != .null else { return nil }
        return try value.decode(T.self)
    }

    /// Stores `value` under `key` as JSON; nil removes the key.
    ///
    /// - Throws: `EncodingError` when `value` cannot be encoded.
    public func set<T: Encodable>(_ key: String, _ value: T?) throws {
        self[key] = try value.map { try JSONValue(encoding: $0) }
    }

    /// Removes `key` from the user data.
    public func remove(_ key: String) {
        self[key] = nil
    }

    /// Detaches the session from the request (express-session's `req.session = null`): nothing is
    /// saved and no cookie is sent; with `unset: .destroy` the stored session is destroyed at commit.
    public func unset() {
        state.withLock { $0.isUnset = true }
    }

    /// Restarts the cookie's expiry from now with its original `maxAge` (express-session's `touch()`).
    public func touch() {
        lifecycle.touch(self)
    }

    /// Writes the session to the store now (it is also saved at commit when needed).
    public func save() async throws {
        try await lifecycle.save(self)
    }

    /// Replaces the session's data with what the store holds now.
    public func reload() async throws {
        try await lifecycle.reload(self)
    }

    /// Destroys the stored session and this one under a new id with fresh data (e.g. at login).
    public func regenerate() async throws {
        try await lifecycle.regenerate(self)
    }

    /// Removes the session from the store; no cookie is sent for it.
    public func destroy() async throws {
        try await lifecycle.destroy(self)
    }
}
