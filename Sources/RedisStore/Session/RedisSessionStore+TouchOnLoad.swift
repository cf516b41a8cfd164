import SessionKit

extension RedisSessionStore: TouchOnLoadSessionStore {
    /// The TTL in seconds `touch(id, data)` would set now (`EXPIRE`), or nil when touch or TTLs
    /// are disabled.
    public func touchExpiry(for data: SessionData) -> Int? {
        guard !configuration.disableTouch else { return nil }
        return expirySeconds(for: data)
    }

    /// `GETEX prefix+id EX expiry` (Redis ≥ 6.2): the session and its TTL restarted in one round
    /// trip. On a Redis without `GETEX` (its "unknown command" error) it sends `GET` instead,
    /// reports the expiry as not set, and sends only `GET` from then on.
    public func get(_ id: String, settingExpiry expiry: Int) async throws -> (data: SessionData, expirySet: Bool)? {
        guard expiry > 0, !getExUnsupported.withLockedValue({ $0 }) else {
            return try await getWithoutExpiry(id)
        }
        let reply: RESPValue
        do throws(RedisError) {
            reply = try await client.send(getExCommand(id, expiry: expiry))
        } catch {
            guard error.kind == .server, Self.isUnknownCommand(error.reason) else { throw Self.storeError(error) }
            getExUnsupported.withLockedValue { $0 = true }
            return try await getWithoutExpiry(id)
        }
        return try getExResult(reply, id: id)
    }

    /// `get(id)`, reported as loaded without setting the expiry. (A function of its own, so that
    /// `get(_:settingExpiry:)`'s async frame, allocated for every request, does not include it.)
    @inline(never)
    private func getWithoutExpiry(_ id: String) async throws -> (data: SessionData, expirySet: Bool)? {
        try await get(id).map { ($0, false) }
    }

    /// The session in a `GETEX` reply (nil for no such key). Synchronous, apart from `get`, whose
    /// async frame is allocated for every request.
    @inline(never)
    func getExResult(_ reply: RESPValue, id: String) throws -> (data: SessionData, expirySet: Bool)? {
        if reply.isNull { return nil }
        guard let bytes = reply.bytes else { throw SessionStoreError.failed("unexpected reply to GETEX: \(reply)") }
        return (try decode(bytes, id: id), true)
    }

    private static let getExName = Array("GETEX".utf8)
    private static let exName = Array("EX".utf8)

    /// `GETEX prefix+id EX expiry`, built without intermediate strings (this runs per request).
    func getExCommand(_ id: String, expiry: Int) -> RedisCommand {
        var key: [UInt8] = []
        key.reserveCapacity(configuration.prefix.utf8.count + id.utf8.count)
        key.append(contentsOf: configuration.prefix.utf8)
        key.append(contentsOf: id.utf8)
        return RedisCommand(arguments: [Self.getExName, key, Self.exName, Array(String(expiry).utf8)])
    }

    /// Whether a server error says the command does not exist (Redis: `ERR unknown command 'GETEX'…`).
    static func isUnknownCommand(_ message: String) -> Bool {
        message.hasPrefix("ERR unknown command")
    }
}
