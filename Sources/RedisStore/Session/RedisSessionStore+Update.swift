import SessionKit

extension RedisSessionStore {
    /// Compare-and-set in one script: writes (or deletes) only if the key still holds what the
    /// caller read; otherwise returns `{0, current}` so the caller can retry without another GET.
    /// ARGV: existed ("1"/"0"), old value, action ("set"/"del"/"none"), new value, ttl ("" = none).
    static let compareAndSetScript = """
        local current = redis.call('GET', KEYS[1])
        if ARGV[1] == '1' then
          if current ~= ARGV[2] then return {0, current} end
        elseif current then
          return {0, current}
        end
        if ARGV[3] == 'set' then
          if ARGV[5] == '' then
            redis.call('SET', KEYS[1], ARGV[4])
          else
            redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[5])
          end
        elseif ARGV[3] == 'del' then
          redis.call('DEL', KEYS[1])
        end
        return {1}
        """

    /// Atomic read-modify-write: GET, apply `transform`, then a compare-and-set script; on a
    /// conflict the script hands back the current value and `transform` runs again, up to
    /// `configuration.maximumUpdateAttempts` times (then `SessionStoreError.conflict`).
    /// Updates of one id from this store run one at a time, so only other processes race.
    @discardableResult
    public func update(_ id: String, _ transform: @Sendable (inout SessionData?) throws -> Void) async throws -> SessionData? {
        try await updates.withExclusiveAccess(to: id) {
            try await compareAndSet(id, transform)
        }
    }

    private func compareAndSet(_ id: String, _ transform: (inout SessionData?) throws -> Void) async throws -> SessionData? {
        let key = key(id)
        var current: [UInt8]? = try await run { try await $0.get(key) }
        for attempt in 1...configuration.maximumUpdateAttempts {
            var data: SessionData?
            if let current {
                if let known = await updates.decoded(id, from: current) {
                    data = known
                } else {
                    data = try decode(current, id: id)
                }
            }
            let before = data
            try transform(&data)
            // Nothing changed: what we read is what Redis holds, no write needed.
            if data == before { return data }
            var action = "del"
            var json: [UInt8] = []
            var ttl = ""
            if let data {
                let seconds = expirySeconds(for: data)
                if seconds.map({ $0 > 0 }) ?? true {
                    action = "set"
                    json = Array(data.jsonString.utf8)
                    ttl = seconds.map(String.init) ?? ""
                }
            }
            let arguments: [[UInt8]] = [
                Array("EVAL".utf8), Array(Self.compareAndSetScript.utf8), Array("1".utf8), Array(key.utf8),
                Array((current == nil ? "0" : "1").utf8), current ?? [], Array(action.utf8), json, Array(ttl.utf8),
            ]
            let reply = try await run { try await $0.send(RedisCommand(arguments: arguments)) }
            guard let parts = reply.array, let status = parts.first?.int else {
                throw SessionStoreError.failed("unexpected reply to the update script: \(reply)")
            }
            if status == 1 {
                guard action == "set", let data else { return nil }
                await updates.wrote(id, bytes: json, data: data)
                return data
            }
            current = parts.count > 1 ? parts[1].bytes : nil
            if attempt < configuration.maximumUpdateAttempts {
                casRetries.increment()
                try await Task.sleep(for: .microseconds(Int.random(in: 0...(200 * min(attempt, 20)))))
            }
        }
        throw SessionStoreError.conflict(
            "session \(id) changed under \(configuration.maximumUpdateAttempts) update attempts in a row; gave up")
    }
}
