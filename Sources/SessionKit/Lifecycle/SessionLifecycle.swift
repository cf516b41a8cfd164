import Foundation
import JavaScriptFormats

/// express-session's request lifecycle without a server framework: `load(cookieHeader:)` when a
/// request arrives, `commit(_:)` before its response head is written.
///
/// `commit` reproduces express-session's decisions: the store is written when the session is
/// modified (or always with `resave`; new sessions only when modified unless
/// `saveUninitialized`), otherwise an existing session is touched; `Set-Cookie` is sent for a new
/// session that is saved, and for an existing one when `rolling`, or when its cookie has an expiry
/// and the session was modified. A secure cookie is never sent on an insecure connection.
///
/// Unlike express-session, saving never overwrites a concurrent writer's changes: it goes through
/// the store's atomic `update` and, if the stored data changed since this request loaded it, applies
/// only the keys this request changed.
///
/// With a `TouchOnLoadSessionStore` (Redis) the touch of a read-only request happens while loading
/// (`GETEX`) instead of after the handler, so such a request costs one store round trip; the
/// stored data and TTL are the same. One difference remains: a session the handler `unset()`s
/// (with `unset: .keep`) has had its expiry restarted, which express-session would not do.
///
/// Errors: a missing, unsigned, tampered or unknown cookie yields a new session, never an error.
/// A failing store throws `SessionStoreError`, which the host answers with 503 and its reason.
public struct SessionLifecycle: Sendable {
    /// The options this lifecycle applies.
    public let configuration: SessionConfiguration
    /// The cookie signer built from `configuration.secrets`.
    public let signer: SessionCookieSigner
    /// The store when it can restart the expiry while loading (found once, not per request).
    let touchOnLoadStore: (any TouchOnLoadSessionStore)?
    let metrics: SessionMetrics

    /// A lifecycle with the given options.
    public init(configuration: SessionConfiguration) {
        self.configuration = configuration
        self.signer = SessionCookieSigner(secrets: configuration.secrets)
        self.touchOnLoadStore = configuration.store as? any TouchOnLoadSessionStore
        self.metrics = SessionMetrics(factory: configuration.metrics)
    }

    private var store: any SessionStore { configuration.store }

    // MARK: - Request lifecycle

    /// The session for a request with the given `Cookie` header: the stored one when the header
    /// carries a validly signed id the store knows, else a new one.
    ///
    /// - Parameter cookieHeader: the request's `Cookie` header (every field joined with `; `), or nil
    ///   when it has none.
    /// - Parameter isSecureConnection: whether the request came over TLS (for `Secure` cookies).
    /// - Throws: `SessionStoreError` when the store fails.
    ///
    /// With a `TouchOnLoadSessionStore` the stored session's expiry is restarted in the same store
    /// call, to what express-session's `touch` at commit would set for a session with the
    /// configured cookie options; `commit` then skips its `touch` when it would set the same.
    public func load(cookieHeader: String?, isSecureConnection: Bool = false) async throws -> Session {
        // The work around the store call is in synchronous helpers: this async function's frame,
        // sized for everything it holds, is allocated for every request.
        let cookieID = sessionID(fromCookieHeader: cookieHeader)
        if let cookieID {
            if let touchOnLoadStore, let expiry = touchOnLoadExpiry(isSecureConnection: isSecureConnection) {
                if let loaded = try await storeCall({ try await touchOnLoadStore.get(cookieID, settingExpiry: expiry) }) {
                    metrics.loadsFound.increment()
                    return inflate(
                        id: cookieID, data: loaded.data, isSecureConnection: isSecureConnection,
                        expirySetAtLoad: loaded.expirySet ? expiry : nil)
                }
            } else if let data = try await storeCall({ try await store.get(cookieID) }) {
                metrics.loadsFound.increment()
                return inflate(id: cookieID, data: data, isSecureConnection: isSecureConnection)
            }
        }
        metrics.loadsNew.increment()
        return newSession(cookieID: cookieID, isSecureConnection: isSecureConnection)
    }

    /// The expiry to set while loading (the one `touch` would set for a session with the
    /// configured cookie options), or nil when loading must not touch (no touch-on-load store,
    /// `resave`, or touch/expiry disabled).
    @inline(never)
    func touchOnLoadExpiry(isSecureConnection: Bool) -> Int? {
        guard let touchOnLoadStore, !configuration.resave,
            let expiry = touchOnLoadStore.touchExpiry(for: freshData(isSecureConnection: isSecureConnection)), expiry > 0
        else { return nil }
        return expiry
    }

    /// A new session (new id, fresh cookie, no data) for a request whose cookie, if any, named none.
    @inline(never)
    private func newSession(cookieID: String?, isSecureConnection: Bool) -> Session {
        let fresh = freshData(isSecureConnection: isSecureConnection)
        let id = configuration.generateID()
        let state = Session.State(
            id: id, data: fresh, cookieID: cookieID, originalID: id,
            originalValues: fresh.values, savedValues: nil, baseline: nil,
            isSecureConnection: isSecureConnection)
        return Session(state: state, lifecycle: self)
    }

    /// Finishes a request: saves or touches the session in the store as express-session would and
    /// returns the `Set-Cookie` header value to send, or nil when no cookie is to be sent.
    ///
    /// - Throws: `SessionStoreError` when the store fails.
    public func commit(_ session: Session) async throws -> String? {
        let plan = commitPlan(session)
        if case .none = plan.storeWork { return plan.setCookie }
        try await perform(plan.storeWork, for: session)
        return plan.setCookie
    }

    /// The store call `commit` decided on. (A function of its own: `commit`'s async frame,
    /// allocated for every request, stays small.)
    @inline(never)
    private func perform(_ work: CommitPlan.StoreWork, for session: Session) async throws {
        switch work {
        case .none: break
        case .destroy(let id): try await storeCall { try await store.destroy(id) }
        case .save: try await save(session)
        case .touch(let id, let data): try await storeCall { try await store.touch(id, data) }
        }
    }

    /// The `Set-Cookie` header value carrying `id` signed with the first secret, with `cookie`'s attributes.
    public func setCookieHeaderValue(id: String, cookie: SessionCookie) -> String {
        SetCookie.headerValue(name: configuration.name, value: "s:" + signer.sign(id), cookie: cookie)
    }

    /// The verified session id carried by `cookieHeader`, or nil when the cookie is missing, not
    /// signed (`s:` prefix) or its signature matches none of the secrets.
    public func sessionID(fromCookieHeader cookieHeader: String?) -> String? {
        guard let cookieHeader, let raw = CookieHeader.value(named: configuration.name, in: cookieHeader),
            raw.hasPrefix("s:")
        else { return nil }
        return signer.unsign(String(raw.dropFirst(2)))
    }

    // MARK: - Socket handshakes and events

    /// The stored session of a handshake (e.g. a WebSocket upgrade) with the given `Cookie`
    /// header, or nil when there is no valid session: no cookie, an unsigned or tampered one, or
    /// an id the store does not know (expired, destroyed).
    ///
    /// - Throws: `SessionStoreError` when the store fails (which is not "no session").
    public func loadExisting(cookieHeader: String?, isSecureConnection: Bool = false) async throws -> Session? {
        guard let id = sessionID(fromCookieHeader: cookieHeader),
            let data = try await storeCall({ try await store.get(id) })
        else { return nil }
        metrics.loadsFound.increment()
        return inflate(id: id, data: data, isSecureConnection: isSecureConnection)
    }

    /// Atomically changes the stored session `sessionID` (e.g. while handling a socket event);
    /// concurrent changes by REST requests or other sockets are not lost. Does nothing and returns
    /// nil when the session no longer exists.
    ///
    /// - Returns: the session data as written, or nil when there is no such session.
    /// - Throws: `SessionStoreError` when the store fails; errors thrown by `transform` as they are.
    @discardableResult
    public func modify(
        sessionID: String,
        _ transform: @escaping @Sendable (inout SessionData) throws -> Void
    ) async throws -> SessionData? {
        try await atomicUpdate(sessionID) { data in
            guard var current = data else { return }
            try transform(&current)
            data = current
        }
    }

    // MARK: - Operations

    /// Restarts `session`'s cookie expiry from now with its original `maxAge`.
    public func touch(_ session: Session) {
        let now = configuration.clock.now()
        session.state.withLock { $0.data.cookie.resetMaxAge(now: now) }
    }

    /// Writes `session` to the store, merging with concurrent writers (see the type's documentation).
    ///
    /// - Throws: `SessionError.inactive` for an unset or destroyed session, `SessionStoreError` when the store fails.
    public func save(_ session: Session) async throws {
        let snapshot = session.state.withLock { $0 }
        guard !snapshot.isUnset && !snapshot.isDestroyed else { throw SessionError.inactive }
        let mine = snapshot.data
        let baseline = snapshot.baseline
        _ = try await atomicUpdate(snapshot.id) { stored in
            guard let current = stored, current.values != baseline else {
                stored = mine
                return
            }
            var merged = current
            merged.cookie = mine.cookie
            for key in (baseline ?? [:]).keys where mine.values[key] == nil {
                merged.values[key] = nil
            }
            for (key, value) in mine.values where baseline?[key] != value {
                merged.values[key] = value
            }
            stored = merged
        }
        session.state.withLock { state in
            guard state.id == snapshot.id else { return }
            state.baseline = mine.values
            state.savedValues = mine.values
        }
    }

    /// Replaces `session`'s data with the stored one.
    ///
    /// - Throws: `SessionError.notFound` when the store no longer has it, `SessionStoreError` when the store fails.
    public func reload(_ session: Session) async throws {
        let id = session.id
        guard let data = try await storeCall({ try await store.get(id) }) else { throw SessionError.notFound }
        session.state.withLock { state in
            guard state.id == id else { return }
            state.data = data
            state.baseline = data.values
        }
    }

    /// Destroys the stored session and gives `session` a new id, fresh cookie and empty data.
    ///
    /// - Throws: `SessionStoreError` when the store fails.
    public func regenerate(_ session: Session) async throws {
        let oldID = session.id
        try await storeCall { try await store.destroy(oldID) }
        let now = configuration.clock.now()
        let newID = configuration.generateID()
        session.state.withLock { state in
            state.id = newID
            state.data = SessionData(cookie: configuration.cookie.makeCookie(
                now: now, isSecureConnection: state.isSecureConnection))
            state.baseline = nil
            state.isUnset = false
            state.isDestroyed = false
        }
    }

    /// Removes `session` from the store; it is then neither saved nor sent as a cookie.
    ///
    /// - Throws: `SessionStoreError` when the store fails.
    public func destroy(_ session: Session) async throws {
        let id = session.id
        try await storeCall { try await store.destroy(id) }
        session.state.withLock { $0.isDestroyed = true }
    }

    // MARK: - Helpers

    @inline(never)
    private func inflate(id: String, data: SessionData, isSecureConnection: Bool, expirySetAtLoad: Int? = nil) -> Session {
        var state = Session.State(
            id: id, data: data, cookieID: id, originalID: id, originalValues: data.values,
            savedValues: configuration.resave ? nil : data.values, baseline: data.values,
            isSecureConnection: isSecureConnection)
        state.expirySetAtLoad = expirySetAtLoad
        return Session(state: state, lifecycle: self)
    }

    /// Runs a store call, turning any failure into a `SessionStoreError`.
    private func storeCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.storeError(error)
        }
    }

    /// `error` as a `SessionStoreError`: itself when it is one, else `.failed` with its description.
    @inline(never)
    private static func storeError(_ error: any Error) -> SessionStoreError {
        (error as? SessionStoreError) ?? .failed(String(describing: error))
    }

    /// The store's atomic update; errors from `transform` pass through, store failures become `SessionStoreError`.
    private func atomicUpdate(
        _ id: String,
        _ transform: @escaping @Sendable (inout SessionData?) throws -> Void
    ) async throws -> SessionData? {
        metrics.saves.increment()
        do {
            return try await store.update(id) { data in
                do {
                    try transform(&data)
                } catch {
                    throw TransformFailure(error: error)
                }
            }
        } catch let failure as TransformFailure {
            throw failure.error
        } catch let error as SessionStoreError {
            throw error
        } catch {
            throw SessionStoreError.failed(String(describing: error))
        }
    }

    private struct TransformFailure: Error {
        let error: any Error
    }
}
