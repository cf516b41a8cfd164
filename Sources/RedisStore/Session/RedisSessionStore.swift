import CoreMetrics
import NIOConcurrencyHelpers
import SessionKit

/// A `SessionStore` in Redis, byte-compatible with connect-redis, so SESIOR and a Node
/// express-session app can share sessions.
///
/// Layout: key `prefix + id` (default `sess:<id>`), value the session JSON exactly as
/// express-session serializes it, written with `SET key json EX ttl`. The ttl is
/// `ceil((cookie.expires − now) / 1 s)` when the cookie has an expiry, else `configuration.ttl`;
/// a ttl ≤ 0 deletes the key. `touch` is `EXPIRE`, or happens while loading with `GETEX key EX ttl`
/// (`TouchOnLoadSessionStore`, Redis ≥ 6.2) when `SessionLifecycle` knows the TTL it would set; `ids`/`all`/`length`/`clear` walk the prefix
/// with `SCAN` (never `KEYS`); `update` is a compare-and-set in a Lua script.
///
/// Redis failures surface as `SessionStoreError.unavailable` (connection trouble: answer 503) or
/// `.failed`; a record that is not session JSON as `.corruptRecord`. Nothing is reported written
/// unless Redis confirmed it.
public final class RedisSessionStore: SessionStore {
    /// Where the commands go: usually a `RedisConnectionPool`.
    public let client: any RedisClient
    /// Key layout, TTL rules and options.
    public let configuration: RedisSessionStoreConfiguration
    let updates = SessionUpdateQueue()
    /// Set once Redis answered `GETEX` with "unknown command" (Redis < 6.2): loads use `GET` then.
    let getExUnsupported = NIOLockedValueBox(false)
    /// `session_cas_retries_total`: update attempts repeated because the stored session changed
    /// between the read and the compare-and-set.
    let casRetries: Counter

    /// A store sending its commands through `client`; it reports `session_cas_retries_total` to
    /// `metrics` (default `MetricsSystem.factory`: the bootstrapped backend, or none).
    public init(
        client: any RedisClient, configuration: RedisSessionStoreConfiguration = .init(),
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.client = client
        self.configuration = configuration
        self.casRetries = Counter(label: "session_cas_retries_total", factory: metrics)
    }

    /// `GET prefix+id`, parsed. Expiry is Redis's job (the key's TTL), as in connect-redis: the
    /// stored cookie's `expires` may be older than the TTL after a `touch`.
    public func get(_ id: String) async throws -> SessionData? {
        let reply = try await run { try await $0.send(RedisCommand(["GET", key(id)])) }
        if reply.isNull { return nil }
        guard let bytes = reply.bytes else { throw SessionStoreError.failed("unexpected reply to GET: \(reply)") }
        return try decode(bytes, id: id)
    }

    /// `SET prefix+id json EX ttl`, or `DEL` when the ttl is ≤ 0 (connect-redis `set`).
    public func set(_ id: String, _ data: SessionData) async throws {
        let json = Array(data.jsonString.utf8)
        guard let ttl = expirySeconds(for: data) else {
            try await run { try await $0.set(key(id), to: json) }
            return
        }
        if ttl <= 0 {
            try await destroy(id)
            return
        }
        try await run { try await $0.set(key(id), to: json, expireSeconds: ttl) }
    }

    /// `DEL prefix+id`.
    public func destroy(_ id: String) async throws {
        try await run { _ = try await $0.delete([key(id)]) }
    }

    /// `EXPIRE prefix+id ttl` from `data.cookie`; nothing when touch or TTLs are disabled.
    public func touch(_ id: String, _ data: SessionData) async throws {
        guard !configuration.disableTouch, let ttl = expirySeconds(for: data) else { return }
        try await run { _ = try await $0.send(RedisCommand(["EXPIRE", key(id), String(ttl)])) }
    }

    /// The ids of all keys under the prefix, found with `SCAN … MATCH prefix* COUNT n`, deduplicated.
    public func ids() async throws -> [String] {
        try await scanKeys().map { String($0.dropFirst(configuration.prefix.count)) }
    }

    /// Every session under the prefix: `SCAN`, then `MGET` in batches. Keys that expire
    /// between the two are left out.
    public func all() async throws -> [String: SessionData] {
        let keys = try await scanKeys()
        var sessions: [String: SessionData] = [:]
        for start in stride(from: 0, to: keys.count, by: configuration.scanCount) {
            let batch = Array(keys[start..<min(start + configuration.scanCount, keys.count)])
            let reply = try await run { try await $0.send(RedisCommand(["MGET"] + batch)) }
            guard let values = reply.array, values.count == batch.count else {
                throw SessionStoreError.failed("unexpected reply to MGET: \(reply)")
            }
            for (key, value) in zip(batch, values) {
                guard let bytes = value.bytes else { continue }
                let id = String(key.dropFirst(configuration.prefix.count))
                sessions[id] = try decode(bytes, id: id)
            }
        }
        return sessions
    }

    /// The number of keys under the prefix (a `SCAN` walk).
    public func length() async throws -> Int {
        try await scanKeys().count
    }

    /// Removes every key under the prefix: `SCAN`, then `UNLINK` in batches.
    public func clear() async throws {
        let keys = try await scanKeys()
        for start in stride(from: 0, to: keys.count, by: configuration.scanCount) {
            let batch = Array(keys[start..<min(start + configuration.scanCount, keys.count)])
            _ = try await run { try await $0.send(RedisCommand(["UNLINK"] + batch)) }
        }
    }

    // MARK: - Helpers

    func key(_ id: String) -> String { configuration.prefix + id }

    /// connect-redis's TTL in seconds for `data`, or nil when TTLs are disabled.
    func expirySeconds(for data: SessionData) -> Int? {
        guard !configuration.disableTTL else { return nil }
        guard let expires = data.cookie.expires else { return configuration.ttl }
        let milliseconds = JavaScriptDate.milliseconds(expires) - JavaScriptDate.milliseconds(configuration.clock.now())
        return Int((Double(milliseconds) / 1000).rounded(.up))
    }

    func decode(_ bytes: [UInt8], id: String) throws -> SessionData {
        do {
            return try SessionData(jsonBytes: bytes)
        } catch {
            throw SessionStoreError.corruptRecord("session \(id) in Redis is not session JSON: \(error.reason)")
        }
    }

    /// Runs Redis commands, turning `RedisError` into `SessionStoreError`.
    func run<T>(_ body: (any RedisClient) async throws -> T) async throws -> T {
        do {
            return try await body(client)
        } catch let error as RedisError {
            throw Self.storeError(error)
        }
    }

    static func storeError(_ error: RedisError) -> SessionStoreError {
        error.isUnavailable ? .unavailable(error.description) : .failed(error.description)
    }

    private func scanKeys() async throws -> [String] {
        let pattern = Self.globEscaped(configuration.prefix) + "*"
        var cursor = "0"
        var seen = Set<String>()
        var keys: [String] = []
        repeat {
            let reply = try await run {
                try await $0.send(RedisCommand(["SCAN", cursor, "MATCH", pattern, "COUNT", String(configuration.scanCount)]))
            }
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let batch = parts[1].array else {
                throw SessionStoreError.failed("unexpected reply to SCAN: \(reply)")
            }
            for element in batch {
                if let key = element.string, seen.insert(key).inserted { keys.append(key) }
            }
            cursor = next
        } while cursor != "0"
        return keys
    }

    private static func globEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "*?[]\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
