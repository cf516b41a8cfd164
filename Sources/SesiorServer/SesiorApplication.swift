import HTTPCore
import Logging
import NIOCore
import SessionMiddleware

/// Builds the `App` one SESIOR instance serves, in this order:
///
/// 0. with metrics on, `GET /metrics` (and `App.metrics` counts every request);
/// 1. request log; CORS with the allow-list and credentials (preflights end here);
/// 2. `GET /health` and the web client's static files — no session needed;
/// 3. the socket layer's endpoint, when one is plugged in (it loads sessions itself);
/// 4. JSON body parsing;
/// 5. the session middleware, Redis failures of the user registry as 503, then the API routes (the
///    state-changing ones refuse bodies that are not `application/json` with 415; a path no route
///    serves is 404 whatever its body).
enum SesiorApplication {
    /// Methods and request headers cross-origin callers may use (the original SESIOR's CORS set).
    static let corsMethods: [HTTPMethod] = [.get, .put, .post, .delete]
    static let corsHeaders = ["Content-Type"]
    /// The GET routes registered behind the static files: the static-file middleware passes them
    /// on without looking for a file of that name (a thread-pool hop and `realpath` per request).
    static let apiGetPaths: Set<String> = ["/verify-session", "/users"]

    /// The application for `services`, serving the web client from `publicDirectory` when given.
    static func make(services: SesiorServices, publicDirectory: String?, metrics: SesiorMetrics? = nil) -> App {
        var app = App(logger: services.logger)
        if let metrics, metrics.isEnabled {
            app.metrics = HTTPRequestMetrics(factory: metrics.factory)
            MetricsRoute.register(on: &app, metrics: metrics)
        }
        app.use(RequestLogMiddleware(logger: services.logger))
        app.use(CORSMiddleware(
            allowedOrigins: .list(services.corsOrigins), allowCredentials: true,
            allowedMethods: corsMethods, allowedHeaders: corsHeaders))
        HealthRoute.register(on: &app, services: services)
        if let publicDirectory {
            app.use(StaticFileMiddleware(root: publicDirectory, cacheControl: "no-cache", routePaths: apiGetPaths))
        }
        services.sockets?.mount(on: &app, services: services)
        app.use(JSONBodyParser(limit: 16 * 1024))
        app.use(SessionMiddleware(lifecycle: services.lifecycle, logger: services.logger))
        app.use(RegistryFailureResponder(logger: services.logger))
        VerifySessionRoute.register(on: &app)
        RegisterRoute.register(on: &app, services: services)
        LogoutRoute.register(on: &app, services: services)
        UsersRoute.register(on: &app, services: services)
        return app
    }

    /// `http://host:port` for the address the server listens on.
    static func url(of address: SocketAddress, secure: Bool = false) -> String {
        let host = address.ipAddress ?? "localhost"
        let shown = host.contains(":") ? "[\(host)]" : host
        return "\(secure ? "https" : "http")://\(shown):\(address.port ?? 0)"
    }
}
