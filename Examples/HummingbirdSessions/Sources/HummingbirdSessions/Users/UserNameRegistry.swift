import RedisStore
import SessionKit

/// Who holds which user name, in the Redis hash `sesior` keeps for the same purpose (default key
/// `sesior:users`, field = name, value = id of the owning session). Sharing the hash is what makes
/// "User already exists" hold across both servers.
///
/// Each operation is one atomic Redis command or Lua script, so two servers racing for a name
/// cannot both win, and `transfer`/`release` act only while the expected session still holds it.
public struct UserNameRegistry: Sendable {
    /// The hash key. Default `sesior:users`.
    public let key: String
    /// Where the commands go.
    public let client: any RedisClient

    /// A registry in hash `key` of the Redis behind `client`.
    public init(client: any RedisClient, key: String = "sesior:users") {
        self.client = client
        self.key = key
    }

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

    /// Claims `name` for session `sessionID`, taking it over when the session holding it no longer
    /// exists in `store` (expired or destroyed), as `sesior` does. Session `sessionID` must be saved first.
    ///
    /// - Returns: whether `sessionID` holds the name now.
    /// - Throws: `RedisError` from the registry, `SessionStoreError` from `store`.
    public func claim(_ name: UserName, for sessionID: String, store: any SessionStore) async throws -> Bool {
        let reply = try await client.send("EVAL", Self.claimScript, "1", key, name.value, sessionID)
        guard let owner = reply.string else { throw RedisError.unexpectedReply(reply, to: "EVAL claim") }
        if owner == sessionID { return true }
        guard try await store.get(owner) == nil else { return false }
        return try await transfer(name, from: owner, to: sessionID)
    }

    /// Moves `name` from session `oldOwner` to `newOwner`, only if `oldOwner` still holds it.
    ///
    /// - Returns: whether the name was moved.
    @discardableResult
    public func transfer(_ name: UserName, from oldOwner: String, to newOwner: String) async throws(RedisError) -> Bool {
        try await client.send("EVAL", Self.transferScript, "1", key, name.value, oldOwner, newOwner).int == 1
    }

    /// Releases `name` if session `owner` holds it.
    ///
    /// - Returns: whether the name was released.
    @discardableResult
    public func release(_ name: UserName, ownedBy owner: String) async throws(RedisError) -> Bool {
        try await client.send("EVAL", Self.releaseScript, "1", key, name.value, owner).int == 1
    }
}
