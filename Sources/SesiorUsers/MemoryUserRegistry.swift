/// The user registry of a single instance without Redis: a dictionary inside an actor, lost when
/// the process stops (like the in-memory session store it goes with).
public actor MemoryUserRegistry: UserRegistry {
    private var owners: [String: String] = [:]

    /// An empty registry.
    public init() {}

    /// Claims `name` for `sessionID` if nobody holds it (see `UserRegistry.claim`).
    public func claim(_ name: UserName, for sessionID: String) -> UserClaim {
        if let owner = owners[name.value], owner != sessionID { return .taken(by: owner) }
        owners[name.value] = sessionID
        return .claimed
    }

    /// Moves `name` from `oldOwner` to `newOwner` if `oldOwner` still holds it.
    public func transfer(_ name: UserName, from oldOwner: String, to newOwner: String) -> Bool {
        guard owners[name.value] == oldOwner else { return false }
        owners[name.value] = newOwner
        return true
    }

    /// Releases `name` if `owner` holds it.
    public func release(_ name: UserName, ownedBy owner: String) -> Bool {
        guard owners[name.value] == owner else { return false }
        owners[name.value] = nil
        return true
    }

    /// The session id holding `name`, or nil.
    public func owner(of name: UserName) -> String? { owners[name.value] }

    /// Every registered name, sorted.
    public func userNames() -> [String] { owners.keys.sorted() }
}
