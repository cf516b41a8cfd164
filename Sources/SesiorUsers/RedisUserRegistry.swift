import RedisStore

/// The user registry shared by every server on one Redis: a hash (default `sesior:users`)
/// mapping each name to the id of the session that holds it. `sesior` and the Hummingbird example
/// share it, which is what makes "User already exists" hold across both.
///
/// Each operation is one atomic Redis command or Lua script, so two instances racing for a name
/// cannot both win, and `transfer`/`release` act only while the expected session still holds it.
public struct RedisUserRegistry: UserRegistry {
    /// The hash key. Default `sesior:users`.
    public let key: String
    /// Where the commands go.
    public let client: any RedisClient

    /// A registry in hash `key` of the Redis behind `client`.
    public init(client: any RedisClient, key: String = "sesior:users") {
        self.client = client
        self.key = key
    }

    /// Sets the field when it is free; answers the owner either way (HSETNX + HGET in one step).
    private static let claimScript = """
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then return ARGV[2] end
        return redis.call('HGET', KEYS[1], ARGV[1])
        """

    private static let transferScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
          return 1
        end
        return 0
        """

    private static let releaseScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
          return redis.call('HDEL', KEYS[1], ARGV[1])
        end
        return 0
        """

    /// Claims `name` for `sessionID` if nobody holds it (see `UserRegistry.claim`).
    public func claim(_ name: UserName, for sessionID: String) async throws -> UserClaim {
        let reply = try await client.send("EVAL", Self.claimScript, "1", key, name.value, sessionID)
        guard let owner = reply.string else { throw RedisError.unexpectedReply(reply, to: "EVAL claim") }
        return owner == sessionID ? .claimed : .taken(by: owner)
    }

    /// Moves `name` from `oldOwner` to `newOwner` if `oldOwner` still holds it.
    public func transfer(_ name: UserName, from oldOwner: String, to newOwner: String) async throws -> Bool {
        try await client.send("EVAL", Self.transferScript, "1", key, name.value, oldOwner, newOwner).int == 1
    }

    /// Releases `name` if `owner` holds it.
    public func release(_ name: UserName, ownedBy owner: String) async throws -> Bool {
        try await client.send("EVAL", Self.releaseScript, "1", key, name.value, owner).int == 1
    }

    /// The session id holding `name`, or nil.
    public func owner(of name: UserName) async throws -> String? {
        let reply = try await client.send("HGET", key, name.value)
        return reply.isNull ? nil : reply.string
    }

    /// Every registered name, sorted.
    public func userNames() async throws -> [String] {
        let reply = try await client.send("HKEYS", key)
        guard let names = reply.array else { throw RedisError.unexpectedReply(reply, to: "HKEYS") }
        return names.compactMap(\.string).sorted()
    }
}
