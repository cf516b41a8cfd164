/// Where Redis is, how to log in, and the pool's limits and timeouts.
public struct RedisConfiguration: Sendable, Hashable {
    /// Host name or IP address. Default `127.0.0.1`.
    public var host: String
    /// TCP port. Default 6379.
    public var port: Int
    /// ACL user name for `AUTH user password`; `nil` means `AUTH password` (the default user).
    public var username: String?
    /// Password; `nil` skips AUTH.
    public var password: String?
    /// Database number selected with `SELECT` after connecting. Default 0 (no SELECT sent).
    public var database: Int
    /// Time allowed to open a connection, including AUTH, SELECT and a PING. Default 5 s.
    public var connectTimeout: Duration
    /// Time allowed for a reply; past it the command fails and its connection is closed,
    /// because the reply stream is out of step. Default 5 s.
    public var commandTimeout: Duration
    /// Connections the pool keeps open (reconnecting when one drops). Default 1.
    public var minimumConnections: Int
    /// Most connections the pool opens; busy connections pipeline beyond that. Default 8.
    public var maximumConnections: Int
    /// First wait before reconnecting after a failed connect; doubles per failure. Default 50 ms.
    public var reconnectInitialBackoff: Duration
    /// Longest wait between reconnect attempts. Default 2 s.
    public var reconnectMaximumBackoff: Duration

    /// Creates a configuration; every parameter has the default documented on its property.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(5),
        minimumConnections: Int = 1,
        maximumConnections: Int = 8,
        reconnectInitialBackoff: Duration = .milliseconds(50),
        reconnectMaximumBackoff: Duration = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.minimumConnections = max(0, minimumConnections)
        self.maximumConnections = max(1, maximumConnections, minimumConnections)
        self.reconnectInitialBackoff = reconnectInitialBackoff
        self.reconnectMaximumBackoff = reconnectMaximumBackoff
    }

    /// Reads host, port, credentials and database from `redis://[[user]:password@]host[:port][/db]`
    /// (percent-escapes in user and password are decoded); other settings keep their defaults.
    public init(url: String) throws(RedisError) {
        self.init()
        let location = try RedisURL(url)
        host = location.host
        port = location.port
        username = location.username
        password = location.password
        database = location.database
    }
}

/// The parts of a `redis://` URL.
struct RedisURL: Hashable {
    var host = "127.0.0.1"
    var port = 6379
    var username: String?
    var password: String?
    var database = 0

    init(_ text: String) throws(RedisError) {
        let invalid = { (why: String) in RedisError(.invalidURL, "invalid Redis URL (\(why)); expected redis://[user:password@]host:port/db") }
        guard text.hasPrefix("redis://") else { throw invalid("scheme must be redis://") }
        var rest = Substring(text.dropFirst("redis://".count))
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let db = Int(path), db >= 0 else { throw invalid("database '\(path)' is not a number") }
                database = db
            }
        }
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = try Self.percentDecoded(credentials[..<colon])
                username = user.isEmpty ? nil : user
                password = try Self.percentDecoded(credentials[credentials.index(after: colon)...])
            } else if !credentials.isEmpty {
                // redis://secret@host is treated as a password, as node-redis does for a lone user part
                password = try Self.percentDecoded(credentials)
            }
        }
        var hostPart = authority
        if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
            host = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
            hostPart = hostPart[hostPart.index(after: close)...]
            if hostPart.hasPrefix(":") {
                guard let value = Int(hostPart.dropFirst()), (1...65535).contains(value) else { throw invalid("bad port") }
                port = value
            }
        } else if let colon = hostPart.lastIndex(of: ":") {
            let portText = hostPart[hostPart.index(after: colon)...]
            guard let value = Int(portText), (1...65535).contains(value) else { throw invalid("bad port '\(portText)'") }
            port = value
            host = String(hostPart[..<colon])
        } else if !hostPart.isEmpty {
            host = String(hostPart)
        }
        if host.isEmpty { host = "127.0.0.1" }
    }

    private static func percentDecoded(_ text: Substring) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { throw RedisError(.invalidURL, "invalid percent-escape in Redis URL credentials") }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
