import SessionKit

/// The registered user names and the session that owns each, shared by every instance that uses
/// the same backing store: the source of truth for "this name is taken".
///
/// Every mutation is atomic in the backing store, so two instances racing for one name cannot both
/// win. Ownership checks (`owner` equal to a session id) keep a stale logout or rename from
/// releasing a name another session has since claimed.
public protocol UserRegistry: Sendable {
    /// Claims `name` for `sessionID` if nobody holds it.
    ///
    /// - Returns: `.claimed` when `sessionID` holds the name now (also when it already did),
    ///   otherwise `.taken(by:)` with the owning session id.
    func claim(_ name: UserName, for sessionID: String) async throws -> UserClaim

    /// Moves `name` from session `oldOwner` to `newOwner`, only if `oldOwner` still holds it.
    ///
    /// - Returns: whether the name was moved.
    @discardableResult
    func transfer(_ name: UserName, from oldOwner: String, to newOwner: String) async throws -> Bool

    /// Releases `name` if session `owner` holds it.
    ///
    /// - Returns: whether the name was released.
    @discardableResult
    func release(_ name: UserName, ownedBy owner: String) async throws -> Bool

    /// The session id holding `name`, or nil when it is free.
    func owner(of name: UserName) async throws -> String?

    /// Every registered name, sorted.
    func userNames() async throws -> [String]
}

/// The outcome of `UserRegistry.claim`.
public enum UserClaim: Sendable, Equatable {
    /// The session holds the name.
    case claimed
    /// Another session holds the name.
    case taken(by: String)
}

extension UserRegistry {
    /// Claims `name` for `sessionID`, taking it over when the session holding it no longer exists
    /// in `store` (it expired, was destroyed or was lost). This is what `POST /register` and
    /// `user:rename` do. Session `sessionID` must be saved in `store` first, so that another server
    /// taking over names by the same rule sees it.
    ///
    /// - Returns: whether `sessionID` holds the name now.
    /// - Throws: the registry's errors, `SessionStoreError` from `store`.
    public func claim(_ name: UserName, for sessionID: String, takingOverFrom store: any SessionStore) async throws
        -> Bool
    {
        switch try await claim(name, for: sessionID) {
        case .claimed:
            return true
        case .taken(let owner):
            guard try await store.get(owner) == nil else { return false }
            return try await transfer(name, from: owner, to: sessionID)
        }
    }
}
