import Logging

/// The Express-like application: a `Router` stack plus the answers nothing else gives.
///
/// ```swift
/// var app = App()
/// app.use(RequestLogger())
/// app.get("/users/:id") { request in try .json(["id": request.parameters["id"]]) }
/// app.use("/api", apiRouter)
/// let server = HTTPServer(responder: app)
/// ```
///
/// - A request no route answers gets `404 {"error":"Not Found"}`; when routes match its path but
///   not its method, `405` with an `Allow` header (or `204` with `Allow` for `OPTIONS`).
/// - Any error thrown by a middleware or handler becomes one JSON response: an `HTTPError` gives
///   its status, headers and `{"error": reason}`; anything else gives
///   `500 {"error":"Internal Server Error"}` and is logged (at error level) with its details.
///
/// `App` is a value: configure it, then hand it to the server (later changes do not reach it).
public struct App: HTTPResponder, RouteBuilder {
    /// The stack every request walks.
    public var router: Router
    /// Where errors that become 500 responses are logged.
    public var logger: Logger
    /// Counts and times every request (`http_requests_total`, `http_request_duration_seconds`);
    /// nil (default) for none.
    public var metrics: HTTPRequestMetrics?

    /// An empty application whose router matches with `options` (default none: Express's
    /// defaults, so `/Users` and `/users/` both reach a route `/users`).
    public init(logger: Logger = Logger(label: "sesior.app"), options: RouterOptions = []) {
        self.router = Router(options: options)
        self.logger = logger
    }

    /// Appends `middleware` to the application's stack; it runs for every request that reaches it.
    public mutating func use(_ middleware: some Middleware) { router.use(middleware) }

    /// Appends `middleware` for requests under `pathPrefix` only, as Express's
    /// `app.use("/admin", fn)`: it sees the path below the prefix (`Request.path`, `Request.baseURL`).
    public mutating func use(_ pathPrefix: String, _ middleware: some Middleware) {
        router.use(pathPrefix, middleware)
    }

    /// Mounts `router` under `pathPrefix` (`:param` and `*` segments allowed): its routes see the
    /// path below the prefix, as Express's `app.use("/api", router)`.
    public mutating func use(_ pathPrefix: String, _ router: Router) { self.router.use(pathPrefix, router) }

    /// Adds a handler for the route parameter `name` of the application's own layers, as
    /// Express's `app.param` (see `Router.param(_:_:)`).
    public mutating func param(_ name: String, _ handler: @escaping ParameterHandler) {
        router.param(name, handler)
    }

    /// Adds a route for `method` (nil: any method) and `path` (`:name` captures one segment, `*` the
    /// rest) whose handler answers matching requests.
    public mutating func on(_ method: HTTPMethod?, _ path: String, _ handler: @escaping RouteHandler) {
        router.on(method, path, handler)
    }

    /// Runs `request` through the middleware chain and routes; never throws.
    public func respond(to request: Request) async -> Response {
        let started = metrics?.start()
        let response: Response
        do {
            response = try await router.dispatch(
                request, path: Self.segments(of: request.pathBelowMount)[...], fullPath: request.fullPath, from: 0,
                handled: [:], fallback: Self.unanswered)
        } catch {
            response = errorResponse(error, to: request)
        }
        if let metrics, let started { metrics.record(response, since: started) }
        return response
    }

    /// `path.split(separator: "/")`, by a byte scan when the path is ASCII.
    static func segments(of path: Substring) -> [Substring] {
        let utf8 = path.utf8
        var segments: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x80 { return path.split(separator: "/") }  // characters may span a `/`
            if byte == UInt8(ascii: "/") {
                if start != index { segments.append(path[start..<index]) }
                start = utf8.index(after: index)
            }
            utf8.formIndex(after: &index)
        }
        if start != utf8.endIndex { segments.append(path[start..<utf8.endIndex]) }
        return segments
    }

    /// The JSON answer to an error thrown by the chain; unexpected errors are logged. (Kept out of
    /// `respond`, whose async frame is allocated for every request.)
    @inline(never)
    func errorResponse(_ error: any Error, to request: Request) -> Response {
        if let error = error as? HTTPError { return Response(error: error) }
        logger.error(
            "request failed",
            metadata: [
                "method": "\(request.method)", "path": "\(request.path)", "error": "\(String(reflecting: error))",
            ])
        return Response(error: HTTPError(.internalServerError))
    }

    /// The answer to a request that no route took: 404, or 405/OPTIONS when other methods match.
    static let unanswered: Next = { request in unansweredResponse(request) }

    /// The body of `unanswered` (synchronous: out of the async frames of the chain).
    @inline(never)
    static func unansweredResponse(_ request: Request) -> Response {
        guard let methods = request.extensions[AllowedMethods.self], !methods.isEmpty else {
            return Response(error: HTTPError(.notFound))
        }
        var allowed: [String] = []
        for method in methods {
            if !allowed.contains(method.rawValue) { allowed.append(method.rawValue) }
            if method == .get && !allowed.contains("HEAD") { allowed.append("HEAD") }
        }
        if !allowed.contains("OPTIONS") { allowed.append("OPTIONS") }
        let allow = allowed.joined(separator: ", ")
        if request.method == .options {
            return Response(status: .noContent, headers: ["Allow": allow])
        }
        return Response(error: HTTPError(.methodNotAllowed, headers: ["Allow": allow]))
    }
}
