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
    /// Redis Sentinel, when the master's address is asked of Sentinels on every connect (then
    /// `host` and `port` are not used). Default none.
    public var sentinel: RedisSentinelConfiguration?

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
    /// (percent-escapes in user and password are decoded), or the Sentinels, master name,
    /// credentials and database from
    /// `redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/master-name[/db]` (Sentinel's
    /// port defaults to 26379; the credentials are the master's); other settings keep their defaults.
    public init(url: String) throws(RedisError) {
        self.init()
        if url.hasPrefix(RedisSentinelConfiguration.scheme) {
            let (sentinel, location) = try RedisSentinelConfiguration.parse(url)
            self.sentinel = sentinel
            username = location.username
            password = location.password
            database = location.database
            return
        }
        let location = try RedisURL(url)
        host = location.host
        port = location.port
        username = location.username
        password = location.password
        database = location.database
    }
}

/// Where Redis Sentinel runs and which master it watches: every connection first asks the
/// Sentinels in turn (`SENTINEL get-master-addr-by-name`), connects to the address the first one
/// gives, and checks with `ROLE` that it is a master. After a failover the connections to the old
/// master fail or answer `READONLY` and are closed, and the pool reconnects to the promoted one.
public struct RedisSentinelConfiguration: Sendable, Hashable {
    /// One Sentinel's address.
    public struct Address: Sendable, Hashable {
        /// Host name or IP address.
        public var host: String
        /// TCP port (Sentinel's default is 26379).
        public var port: Int

        /// The Sentinel at `host:port`.
        public init(host: String, port: Int = 26379) {
            self.host = host
            self.port = port
        }
    }

    /// The Sentinels, asked in order.
    public var sentinels: [Address]
    /// The name Sentinel monitors the master under (`sentinel monitor <name> …`).
    public var masterName: String
    /// The Sentinels' own password (`requirepass` in sentinel.conf), if any.
    public var password: String?

    /// Sentinels at `sentinels` watching `masterName`.
    public init(sentinels: [Address], masterName: String, password: String? = nil) {
        self.sentinels = sentinels
        self.masterName = masterName
        self.password = password
    }

    static let scheme = "redis+sentinel://"

    /// The Sentinel part and the master's credentials and database of a `redis+sentinel://` URL.
    static func parse(_ url: String) throws(RedisError) -> (RedisSentinelConfiguration, RedisURL) {
        let invalid = { (why: String) in
            RedisError(.invalidURL, "invalid Redis Sentinel URL (\(why)); expected redis+sentinel://[user:password@]host:port[,host:port...]/master-name[/db]")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
        guard let slash = rest.firstIndex(of: "/") else { throw invalid("no master name") }
        var authority = rest[..<slash]
        let path = rest[rest.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: false)
        guard let name = path.first, !name.isEmpty, path.count <= 2 else { throw invalid("no master name") }
        var credentials = ""
        if let at = authority.lastIndex(of: "@") {
            credentials = String(authority[...at])
            authority = authority[authority.index(after: at)...]
        }
        var sentinels: [Address] = []
        for part in authority.split(separator: ",") {
            // Each Sentinel's address read as a redis:// authority (IPv6 in brackets included).
            var location = try RedisURL("redis://\(part)")
            if !part.contains("]:") && (part.hasPrefix("[") || !part.contains(":")) { location.port = 26379 }
            sentinels.append(Address(host: location.host, port: location.port))
        }
        guard !sentinels.isEmpty else { throw invalid("no Sentinel address") }
        let database = path.count == 2 ? "/\(path[1])" : ""
        let master = try RedisURL("redis://\(credentials)127.0.0.1\(database)")
        return (RedisSentinelConfiguration(sentinels: sentinels, masterName: String(name)), master)
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
        guard text.hasPrefix("redis://") else { throw invalid("scheme must be redis:// or redis+sentinel://") }
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
            } else if !hostPart.isEmpty {
                throw invalid("'\(hostPart)' after the IPv6 address")
            }
        } else if let colon = hostPart.lastIndex(of: ":") {
            guard hostPart.firstIndex(of: ":") == colon else { throw invalid("an IPv6 address needs brackets: [\(hostPart)]") }
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
