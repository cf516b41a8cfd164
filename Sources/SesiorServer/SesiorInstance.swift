import Foundation
import HTTPCore
import HTTPCoreTLS
import Logging
import NIOCore
import SessionKit
import SocketIO
import WebSocketCore

/// One running SESIOR server: the configuration resolved into services (store, user registry,
/// session lifecycle, secrets), the app built from them, and the HTTP server serving it. The
/// `sesior` command runs one; tests start several in-process.
final class SesiorInstance: Sendable {
    /// What the routes use.
    let services: SesiorServices
    /// The HTTP server.
    let server: HTTPServer
    /// Where sessions live.
    let backend: SessionBackend
    /// The socket layer (`ShowcaseSockets` unless another was given).
    let sockets: any SesiorSocketLayer
    /// The TLS certificate files when serving https (re-read by `reloadCertificates()`).
    let tls: TLSCertificateFiles?
    /// The instance's metrics (`GET /metrics`), or the no-op factory with `--no-metrics`.
    let metrics: SesiorMetrics

    /// Resolves `configuration` (generating or reading the secret file when no secret is given,
    /// with a warning) and builds the server; nothing listens until `start()`. Without `sockets`,
    /// the socket layer is `ShowcaseSockets`, on the Redis bus when `--redis` is given (its
    /// subscription is opened in the background, so Redis may be down at start-up).
    ///
    /// - Throws: `SecretFileError`, `RedisError` (malformed URL), `TLSCertificateError`,
    ///   `TrustedProxies.InvalidEntry`.
    init(
        configuration: SesiorConfiguration, logger: Logger, sockets: (any SesiorSocketLayer)? = nil
    ) async throws {
        let metrics = SesiorMetrics(enabled: configuration.metrics)
        self.metrics = metrics
        let backend: SessionBackend
        if let url = configuration.redisURL {
            backend = try .redis(url: url, metrics: metrics.factory)
        } else {
            backend = .memory()
            logger.warning("no --redis given: sessions and users are kept in memory and will not survive a restart")
        }
        let engine = EngineIOServerConfiguration(
            engine: EngineIOConfiguration(
                pingInterval: Self.timeAmount(seconds: configuration.pingInterval),
                pingTimeout: Self.timeAmount(seconds: configuration.pingTimeout),
                maxPayload: configuration.maxHttpBufferSize,
                upgradeTimeout: Self.timeAmount(seconds: configuration.upgradeTimeout),
                allowEIO3: configuration.allowEIO3),
            transports: configuration.transports,
            perMessageDeflate: configuration.perMessageDeflate
                ? PerMessageDeflateConfiguration(minimumCompressedMessageSize: 1024) : nil,
            metrics: metrics.factory)
        if let sockets {
            self.sockets = sockets
        } else if let pool = backend.redis {
            self.sockets = await ShowcaseSockets.redis(
                pool: pool, adapter: configuration.socketAdapter, engine: engine, logger: logger)
        } else {
            self.sockets = ShowcaseSockets(engine: engine)
        }
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            tls = try TLSCertificateFiles(certificatePath: certificate, privateKeyPath: key)
        } else {
            tls = nil
        }
        let trustedProxies = try TrustedProxies(configuration.trustedProxies)
        let secrets = try Self.secrets(for: configuration, logger: logger)
        // Over TLS (or behind a trusted TLS proxy) the cookie is Secure exactly when the
        // request that made the session was (express-session's `secure: "auto"`).
        let secure: SessionCookieOptions.Secure? = tls != nil || !trustedProxies.isEmpty ? .auto : nil
        let lifecycle = SessionLifecycle(configuration: SessionConfiguration(
            name: configuration.cookieName, secrets: secrets,
            cookie: SessionCookieOptions(maxAge: configuration.sessionMaxAge.map { .seconds($0) }, secure: secure),
            resave: false, saveUninitialized: false, store: backend.store, metrics: metrics.factory))
        let instanceID = configuration.instanceID ?? Self.randomInstanceID()
        var instanceLogger = logger
        instanceLogger[metadataKey: "instance"] = "\(instanceID)"
        services = SesiorServices(
            lifecycle: lifecycle, users: backend.users, health: backend.health, sockets: self.sockets,
            corsOrigins: configuration.corsOrigins, instanceID: instanceID, logger: instanceLogger)
        self.backend = backend
        let app = SesiorApplication.make(
            services: services,
            publicDirectory: configuration.publicDirectory ?? Self.bundledPublicDirectory, metrics: metrics)
        server = HTTPServer(
            responder: app,
            configuration: HTTPServerConfiguration(
                host: configuration.host, port: configuration.port,
                idleTimeout: Self.timeAmount(seconds: configuration.idleTimeout),
                headerReadTimeout: Self.timeAmount(seconds: configuration.headerReadTimeout),
                connectionSetup: tls?.connectionSetup, trustedProxies: trustedProxies, metrics: metrics.factory),
            logger: instanceLogger)
    }

    /// Reads the TLS certificate and key again (SIGHUP): new connections use them, open ones
    /// keep theirs. Files that no longer load leave the old certificate in use, with an error logged.
    func reloadCertificates(logger: Logger) {
        guard let tls else { return }
        do {
            try tls.reload()
            logger.notice("TLS certificate reloaded from \(tls.certificatePath)")
        } catch {
            logger.error("TLS certificate not reloaded, the previous one stays in use: \(error)")
        }
    }

    /// Starts listening.
    func start() async throws {
        try await server.start()
    }

    /// `http://host:port` (`https://` over TLS) once listening.
    var url: String? { server.localAddress.map { SesiorApplication.url(of: $0, secure: tls != nil) } }

    /// The start-up line: URL, store and instance id.
    var startupLine: String {
        "sesior listening on \(url ?? "?") (store: \(backend.description), instance: \(services.instanceID))"
    }

    /// Ends the socket connections, stops the server (draining in-flight requests) and closes the
    /// Redis connections.
    func shutdown() async {
        await (sockets as? ShowcaseSockets)?.close()
        await server.shutdown()
        await backend.redis?.close()
    }

    /// The secrets to sign with: the configured ones, else the generated secret file's.
    static func secrets(for configuration: SesiorConfiguration, logger: Logger) throws -> [String] {
        if let secrets = configuration.secrets { return secrets }
        let file = SecretFile(runDirectory: configuration.runDirectory)
        let loaded = try file.loadOrCreate()
        if loaded.created {
            logger.warning("no --secret / SESIOR_SECRET given: generated a random secret into \(file.path) (mode 0600); set SESIOR_SECRET to share one between instances")
        } else {
            logger.warning("no --secret / SESIOR_SECRET given: using the generated secret in \(file.path)")
        }
        if loaded.isExposed {
            logger.warning("\(file.path) is readable by other users; chmod 600 it")
        }
        return [loaded.secret]
    }

    /// The web client folder copied into the executable's resource bundle.
    static var bundledPublicDirectory: String? {
        Bundle.module.url(forResource: "Public", withExtension: nil)?.path
    }

    /// `seconds` (a configured timeout) as a NIO time amount, to the millisecond.
    static func timeAmount(seconds: Double) -> TimeAmount {
        .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Eight random hex digits.
    static func randomInstanceID() -> String {
        String(UInt32.random(in: .min ... .max), radix: 16).leftPadded(to: 8)
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
