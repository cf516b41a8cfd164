/// The registered user names and the session that owns each, shared by every instance that uses
/// the same backing store: the source of truth for "this name is taken".
///
/// Every mutation is atomic in the backing store, so two instances racing for one name cannot both
/// win. Ownership checks (`owner` equal to a session id) keep a stale logout or rename from
/// releasing a name another session has since claimed.
protocol UserRegistry: Sendable {
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
enum UserClaim: Sendable, Equatable {
    /// The session holds the name.
    case claimed
    /// Another session holds the name.
    case taken(by: String)
}
