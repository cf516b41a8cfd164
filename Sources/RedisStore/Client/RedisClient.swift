/// Something that runs Redis commands: a `RedisConnection` or a `RedisConnectionPool`.
public protocol RedisClient: Sendable {
    /// Sends `command` and returns its reply; an error reply is thrown as `RedisError(.server)`.
    func send(_ command: RedisCommand) async throws(RedisError) -> RESPValue
}

extension RedisClient {
    /// Sends a command given as text, e.g. `send("SET", "k", "v")`.
    @discardableResult
    public func send(_ name: String, _ arguments: String...) async throws(RedisError) -> RESPValue {
        try await send(RedisCommand([name] + arguments))
    }

    /// `GET key`: the value's bytes, or `nil` when the key does not exist.
    public func get(_ key: String) async throws(RedisError) -> [UInt8]? {
        let reply = try await send(RedisCommand(["GET", key]))
        if reply.isNull { return nil }
        guard let bytes = reply.bytes else { throw .unexpectedReply(reply, to: "GET") }
        return bytes
    }

    /// `SET key value [EX seconds]`; returns once Redis confirmed with `OK`.
    public func set(_ key: String, to value: [UInt8], expireSeconds: Int? = nil) async throws(RedisError) {
        var arguments: [[UInt8]] = [Array("SET".utf8), Array(key.utf8), value]
        if let expireSeconds { arguments += [Array("EX".utf8), Array(String(expireSeconds).utf8)] }
        let reply = try await send(RedisCommand(arguments: arguments))
        guard reply == .simpleString("OK") else { throw .unexpectedReply(reply, to: "SET") }
    }

    /// `DEL keys...`: how many keys existed.
    @discardableResult
    public func delete(_ keys: [String]) async throws(RedisError) -> Int {
        guard !keys.isEmpty else { return 0 }
        let reply = try await send(RedisCommand(["DEL"] + keys))
        guard let count = reply.int else { throw .unexpectedReply(reply, to: "DEL") }
        return count
    }

    /// `PUBLISH channel payload`: how many subscribers received it.
    @discardableResult
    public func publish(_ payload: [UInt8], to channel: String) async throws(RedisError) -> Int {
        let reply = try await send(RedisCommand(arguments: [Array("PUBLISH".utf8), Array(channel.utf8), payload]))
        guard let count = reply.int else { throw .unexpectedReply(reply, to: "PUBLISH") }
        return count
    }

    /// `SPUBLISH shardchannel payload` (sharded pub/sub, Redis 7): how many subscribers of the
    /// shard channel received it.
    @discardableResult
    public func shardPublish(_ payload: [UInt8], to channel: String) async throws(RedisError) -> Int {
        let reply = try await send(RedisCommand(arguments: [Array("SPUBLISH".utf8), Array(channel.utf8), payload]))
        guard let count = reply.int else { throw .unexpectedReply(reply, to: "SPUBLISH") }
        return count
    }
}
