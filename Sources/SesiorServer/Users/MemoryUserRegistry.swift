/// The user registry of a single instance without Redis: a dictionary inside an actor, lost when
/// the process stops (like the in-memory session store it goes with).
actor MemoryUserRegistry: UserRegistry {
    private var owners: [String: String] = [:]

    init() {}

    func claim(_ name: UserName, for sessionID: String) -> UserClaim {
        if let owner = owners[name.value], owner != sessionID { return .taken(by: owner) }
        owners[name.value] = sessionID
        return .claimed
    }

    func transfer(_ name: UserName, from oldOwner: String, to newOwner: String) -> Bool {
        guard owners[name.value] == oldOwner else { return false }
        owners[name.value] = newOwner
        return true
    }

    func release(_ name: UserName, ownedBy owner: String) -> Bool {
        guard owners[name.value] == owner else { return false }
        owners[name.value] = nil
        return true
    }

    func owner(of name: UserName) -> String? { owners[name.value] }

    func userNames() -> [String] { owners.keys.sorted() }
}
