import ArgumentParser
import HTTPCore
import Logging
import SocketIO

/// The command-line flags of `sesior`; each falls back to an environment variable, then to the
/// default of `SesiorConfiguration`.
struct SesiorOptions: ParsableArguments {
    @Option(help: "Address to listen on (env SESIOR_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on, 0 picks a free one (env SESIOR_PORT; default 7331).")
    var port: Int?

    @Option(
        name: .customLong("redis"), help: ArgumentHelp(
            "Redis URL redis://[user:password@]host:port/db, or redis+sentinel://[user:password@]sentinel:port[,sentinel:port...]/master-name[/db] to follow failovers, for sessions and users (env SESIOR_REDIS_URL); without it they stay in memory and do not survive a restart.",
            valueName: "URL"))
    var redisURL: String?

    @Option(help: "Cookie signing secrets, comma-separated, the first signs (env SESIOR_SECRET); without it a secret is generated once into <run-dir>/secret.")
    var secret: String?

    @Option(help: "Folder for run-time files such as the generated secret (env SESIOR_RUN_DIR; default run).")
    var runDir: String?

    @Option(help: "Session cookie name (env SESIOR_COOKIE_NAME; default connect.sid).")
    var cookieName: String?

    @Option(help: ArgumentHelp(
        "An origin allowed to call the API with credentials; repeatable (env SESIOR_CORS_ORIGINS, comma-separated).",
        valueName: "origin"))
    var corsOrigin: [String] = []

    @Option(help: ArgumentHelp(
        "Session cookie lifetime in seconds (env SESIOR_SESSION_MAX_AGE); without it the cookie lasts the browser session.",
        valueName: "seconds"))
    var sessionMaxAge: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env SESIOR_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(help: "Folder of the web client to serve at / (env SESIOR_PUBLIC_DIR; default: the copy bundled with sesior).")
    var publicDir: String?

    @Option(help: "Id of this instance in logs and /health (env SESIOR_INSTANCE_ID; default random).")
    var instanceID: String?

    @Option(help: ArgumentHelp(
        "Seconds a request head may take to arrive before 408 and close (env SESIOR_HEADER_READ_TIMEOUT; default 10).",
        valueName: "seconds"))
    var headerReadTimeout: Double?

    @Option(help: ArgumentHelp(
        "Seconds an idle keep-alive connection is kept open (env SESIOR_IDLE_TIMEOUT; default 5).",
        valueName: "seconds"))
    var idleTimeout: Double?

    @Option(help: ArgumentHelp(
        "Seconds between the Engine.IO pings sent to each socket (env SESIOR_PING_INTERVAL; default 25).",
        valueName: "seconds"))
    var pingInterval: Double?

    @Option(help: ArgumentHelp(
        "Seconds to wait for a socket's pong before dropping it (env SESIOR_PING_TIMEOUT; default 20).",
        valueName: "seconds"))
    var pingTimeout: Double?

    @Option(help: ArgumentHelp(
        "PEM certificate chain: serve https and wss (env SESIOR_TLS_CERT; needs --tls-key; re-read on SIGHUP).",
        valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("PEM private key for --tls-cert (env SESIOR_TLS_KEY).", valueName: "file"))
    var tlsKey: String?

    @Option(help: ArgumentHelp(
        "Proxies whose X-Forwarded-Proto/-For are believed, comma-separated: addresses, CIDR ranges, loopback, linklocal, uniquelocal, all (env SESIOR_TRUST_PROXY; default none).",
        valueName: "list"))
    var trustProxy: String?

    @Option(help: ArgumentHelp(
        "Seconds a socket's WebSocket upgrade may take (env SESIOR_UPGRADE_TIMEOUT; default 10).",
        valueName: "seconds"))
    var upgradeTimeout: Double?

    @Option(help: ArgumentHelp(
        "Largest message or polling POST a socket may send, in bytes (env SESIOR_MAX_HTTP_BUFFER_SIZE; default 1000000).",
        valueName: "bytes"))
    var maxHttpBufferSize: Int?

    @Option(help: ArgumentHelp(
        "Socket transports clients may use, comma-separated: polling, websocket (env SESIOR_TRANSPORTS; default both).",
        valueName: "list"))
    var transports: String?

    @Flag(help: "Compress socket WebSocket messages of 1024 bytes or more with permessage-deflate (env SESIOR_PER_MESSAGE_DEFLATE=1; default off).")
    var perMessageDeflate = false

    @Flag(name: .customLong("allow-eio3"), help: "Also serve Engine.IO v3 clients (socket.io 2.x, Socket.IO protocol 4), as socket.io's allowEIO3 (env SESIOR_ALLOW_EIO3=1; default off).")
    var allowEIO3 = false
    @Option(help: ArgumentHelp(
        "Redis adapter of the sockets, as @socket.io/redis-adapter: classic (createAdapter, PUBLISH) or sharded (createShardedAdapter, SPUBLISH, Redis 7 or later) (env SESIOR_SOCKET_ADAPTER; default classic).",
        valueName: "kind"))
    var socketAdapter: String?

    @Option(help: ArgumentHelp(
        "Channels of the sharded adapter: static, dynamic (one more per public room) or dynamic-private (per room) (env SESIOR_SHARDED_SUBSCRIPTION_MODE; default dynamic).",
        valueName: "mode"))
    var shardedSubscriptionMode: String?

    @Flag(
        inversion: .prefixedNo,
        help: "Serve Prometheus metrics at GET /metrics (env SESIOR_METRICS=0 turns them off; default on).")
    var metrics: Bool?

    /// The configuration these flags describe, with `environment` filling flags not given.
    ///
    /// - Throws: `ValidationError` for a malformed value.
    func configuration(environment: [String: String]) throws -> SesiorConfiguration {
        var configuration = SesiorConfiguration()
        func value(_ flag: String?, _ variable: String) -> String? {
            if let flag { return flag }
            guard let fromEnvironment = environment[variable], !fromEnvironment.isEmpty else { return nil }
            return fromEnvironment
        }
        func integer(_ flag: Int?, _ variable: String, _ name: String) throws -> Int? {
            if let flag { return flag }
            guard let text = value(nil, variable) else { return nil }
            guard let number = Int(text) else { throw ValidationError("\(variable) must be an integer, got '\(text)'") }
            return number
        }
        if let host = value(host, "SESIOR_HOST") { configuration.host = host }
        if let port = try integer(port, "SESIOR_PORT", "port") {
            guard (0...65535).contains(port) else { throw ValidationError("port must be 0...65535") }
            configuration.port = port
        }
        configuration.redisURL = value(redisURL, "SESIOR_REDIS_URL")
        if let secret = value(secret, "SESIOR_SECRET") {
            let secrets = Self.commaSeparated(secret)
            guard !secrets.isEmpty else { throw ValidationError("--secret must hold at least one secret") }
            configuration.secrets = secrets
        }
        if let runDir = value(runDir, "SESIOR_RUN_DIR") { configuration.runDirectory = runDir }
        if let cookieName = value(cookieName, "SESIOR_COOKIE_NAME") { configuration.cookieName = cookieName }
        configuration.corsOrigins =
            corsOrigin.isEmpty ? Self.commaSeparated(value(nil, "SESIOR_CORS_ORIGINS") ?? "") : corsOrigin
        if let maxAge = try integer(sessionMaxAge, "SESIOR_SESSION_MAX_AGE", "session-max-age") {
            guard maxAge > 0 else { throw ValidationError("--session-max-age must be a positive number of seconds") }
            configuration.sessionMaxAge = maxAge
        }
        if let level = value(logLevel, "SESIOR_LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ValidationError("unknown log level '\(level)'")
            }
            configuration.logLevel = parsed
        }
        configuration.publicDirectory = value(publicDir, "SESIOR_PUBLIC_DIR")
        configuration.instanceID = value(instanceID, "SESIOR_INSTANCE_ID")
        func seconds(_ flag: Double?, _ variable: String, _ name: String) throws -> Double? {
            let number: Double
            if let flag {
                number = flag
            } else if let text = value(nil, variable) {
                guard let parsed = Double(text) else { throw ValidationError("\(variable) must be a number of seconds, got '\(text)'") }
                number = parsed
            } else {
                return nil
            }
            guard number > 0, number <= 86_400 else { throw ValidationError("--\(name) must be in (0, 86400] seconds") }
            return number
        }
        if let timeout = try seconds(headerReadTimeout, "SESIOR_HEADER_READ_TIMEOUT", "header-read-timeout") {
            configuration.headerReadTimeout = timeout
        }
        if let timeout = try seconds(idleTimeout, "SESIOR_IDLE_TIMEOUT", "idle-timeout") { configuration.idleTimeout = timeout }
        if let interval = try seconds(pingInterval, "SESIOR_PING_INTERVAL", "ping-interval") {
            configuration.pingInterval = interval
        }
        if let timeout = try seconds(pingTimeout, "SESIOR_PING_TIMEOUT", "ping-timeout") { configuration.pingTimeout = timeout }
        configuration.tlsCertificatePath = value(tlsCert, "SESIOR_TLS_CERT")
        configuration.tlsKeyPath = value(tlsKey, "SESIOR_TLS_KEY")
        guard (configuration.tlsCertificatePath == nil) == (configuration.tlsKeyPath == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        configuration.trustedProxies = Self.commaSeparated(value(trustProxy, "SESIOR_TRUST_PROXY") ?? "")
        do {
            _ = try TrustedProxies(configuration.trustedProxies)
        } catch {
            throw ValidationError("--trust-proxy: \(error)")
        }
        if let timeout = try seconds(upgradeTimeout, "SESIOR_UPGRADE_TIMEOUT", "upgrade-timeout") {
            configuration.upgradeTimeout = timeout
        }
        if let size = try integer(maxHttpBufferSize, "SESIOR_MAX_HTTP_BUFFER_SIZE", "max-http-buffer-size") {
            guard size > 0 else { throw ValidationError("--max-http-buffer-size must be a positive number of bytes") }
            configuration.maxHttpBufferSize = size
        }
        if let list = value(transports, "SESIOR_TRANSPORTS") {
            var chosen: Set<EngineIOTransport> = []
            for name in Self.commaSeparated(list) {
                guard let transport = EngineIOTransport(rawValue: name.lowercased()) else {
                    throw ValidationError("unknown transport '\(name)' (polling, websocket)")
                }
                chosen.insert(transport)
            }
            guard !chosen.isEmpty else { throw ValidationError("--transports must name polling, websocket or both") }
            configuration.transports = chosen
        }
        configuration.perMessageDeflate = perMessageDeflate || ["1", "true", "yes"].contains(
            environment["SESIOR_PER_MESSAGE_DEFLATE"]?.lowercased() ?? "")
        configuration.allowEIO3 = allowEIO3 || ["1", "true", "yes"].contains(
            environment["SESIOR_ALLOW_EIO3"]?.lowercased() ?? "")
        if let metrics {
            configuration.metrics = metrics
        } else if let text = value(nil, "SESIOR_METRICS") {
            guard let on = Self.boolean(text) else { throw ValidationError("SESIOR_METRICS must be 0 or 1, got '\(text)'") }
            configuration.metrics = on
        }
        configuration.socketAdapter = try Self.socketAdapter(
            value(socketAdapter, "SESIOR_SOCKET_ADAPTER"), mode: value(shardedSubscriptionMode, "SESIOR_SHARDED_SUBSCRIPTION_MODE"))
        return configuration
    }

    /// The adapter `kind` (`classic` or `sharded`, default classic) and `mode` (sharded only)
    /// name.
    static func socketAdapter(_ kind: String?, mode: String?) throws -> SesiorConfiguration.SocketAdapter {
        switch kind?.lowercased() ?? "classic" {
        case "classic":
            guard mode == nil else { throw ValidationError("--sharded-subscription-mode needs --socket-adapter sharded") }
            return .classic
        case "sharded":
            guard let mode else { return .sharded(.dynamic) }
            guard let parsed = SocketIOShardedRedisBus.SubscriptionMode(rawValue: mode.lowercased()) else {
                throw ValidationError("unknown sharded subscription mode '\(mode)' (static, dynamic, dynamic-private)")
            }
            return .sharded(parsed)
        default:
            throw ValidationError("unknown socket adapter '\(kind ?? "")' (classic, sharded)")
        }
    }

    /// `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off` (any case); nil for anything else.
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }

    /// The non-empty, trimmed items of a comma-separated list.
    static func commaSeparated(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}
