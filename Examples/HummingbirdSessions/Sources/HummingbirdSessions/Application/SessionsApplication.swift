import Hummingbird
import Logging
import NIOCore
import RedisStore
import ServiceLifecycle
import SesiorUsers
import SessionKit

/// Builds the example's Hummingbird application:
///
/// 1. `GET /health` — no session needed;
/// 2. a group with `JSONContentTypeRequirement` (415 for non-JSON POSTs) and `SessionKitMiddleware`,
///    holding `GET /verify-session` and `POST /register`.
///
/// Sessions use express-session's options as `sesior` sets them (`resave: false`,
/// `saveUninitialized: false`), in a `RedisSessionStore` with connect-redis's layout (`sess:<id>`).
public enum SessionsApplication {
    /// The services for `configuration`: a Redis pool (connecting on first use), the session
    /// lifecycle on it and the user registry.
    ///
    /// - Throws: `RedisError` for a malformed Redis URL.
    public static func makeServices(for configuration: SessionsConfiguration) throws -> (SessionsServices, RedisConnectionPool) {
        var redisConfiguration = try RedisConfiguration(url: configuration.redisURL)
        redisConfiguration.connectTimeout = .seconds(2)
        redisConfiguration.commandTimeout = .seconds(2)
        let pool = RedisConnectionPool(configuration: redisConfiguration)
        let lifecycle = SessionLifecycle(configuration: SessionConfiguration(
            name: configuration.cookieName, secrets: configuration.secrets,
            cookie: SessionCookieOptions(maxAge: configuration.sessionMaxAge.map { .seconds($0) }),
            resave: false, saveUninitialized: false,
            store: RedisSessionStore(client: pool)))
        let services = SessionsServices(lifecycle: lifecycle, users: RedisUserRegistry(client: pool), redis: pool)
        return (services, pool)
    }

    /// The router serving `services`.
    public static func router(services: SessionsServices, logger: Logger) -> Router<SessionsRequestContext> {
        let router = Router(context: SessionsRequestContext.self)
        HealthRoute.add(to: router, redis: services.redis)
        let api = router.group()
            .add(middleware: JSONContentTypeRequirement())
            .add(middleware: SessionKitMiddleware(lifecycle: services.lifecycle, logger: logger))
        VerifySessionRoute.add(to: api)
        RegisterRoute.add(to: api, services: services)
        return router
    }

    /// The whole application for `configuration`; the Redis pool is closed when it shuts down.
    /// `onServerRunning` receives the listening channel (e.g. to print the bound port).
    ///
    /// - Throws: `RedisError` for a malformed Redis URL.
    public static func make(
        configuration: SessionsConfiguration,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let (services, pool) = try makeServices(for: configuration)
        return Application(
            router: router(services: services, logger: logger),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "hummingbird-sessions"),
            services: [RedisPoolService(pool: pool)],
            onServerRunning: onServerRunning,
            logger: logger)
    }
}

/// Closes a Redis pool when the application shuts down gracefully.
struct RedisPoolService: Service {
    let pool: RedisConnectionPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.close()
    }
}
