/// The Express-style registration API shared by `App` and `Router`.
public protocol RouteBuilder {
    /// Adds a middleware that runs for every request reaching this point of the stack.
    mutating func use(_ middleware: some Middleware)
    /// Adds a middleware that runs only for requests under `pathPrefix` (matched at segment
    /// boundaries), seeing the path below it.
    mutating func use(_ pathPrefix: String, _ middleware: some Middleware)
    /// Mounts `router` at `pathPrefix` (a pattern, so `:param` segments are captured): it sees
    /// requests whose path starts with the prefix, matching its routes against the rest.
    mutating func use(_ pathPrefix: String, _ router: Router)
    /// Adds a handler that runs before the layers capturing the route parameter `name`, once per
    /// request and value.
    mutating func param(_ name: String, _ handler: @escaping ParameterHandler)
    /// Adds a route for `method` (nil: every method) and the path pattern `path`.
    mutating func on(_ method: HTTPMethod?, _ path: String, _ handler: @escaping RouteHandler)
}

extension RouteBuilder {
    /// Adds a middleware written as a closure `(request, next) -> response`.
    public mutating func use(_ handle: @escaping @Sendable (Request, Next) async throws -> Response) {
        use(ClosureMiddleware(handle: handle))
    }

    /// Mounts `router` at `/`: it sees every request, with the path and base URL unchanged (as
    /// Express's `app.use(router)`).
    public mutating func use(_ router: Router) { use("/", router) }

    /// Adds a middleware written as a closure `(request, next) -> response` for requests under
    /// `pathPrefix` only.
    public mutating func use(_ pathPrefix: String, _ handle: @escaping @Sendable (Request, Next) async throws -> Response) {
        use(pathPrefix, ClosureMiddleware(handle: handle))
    }

    /// Adds a GET route; it also answers HEAD (the body is then left out).
    public mutating func get(_ path: String, _ handler: @escaping RouteHandler) { on(.get, path, handler) }
    /// Adds a HEAD route (checked before GET routes registered after it).
    public mutating func head(_ path: String, _ handler: @escaping RouteHandler) { on(.head, path, handler) }
    /// Adds a POST route.
    public mutating func post(_ path: String, _ handler: @escaping RouteHandler) { on(.post, path, handler) }
    /// Adds a PUT route.
    public mutating func put(_ path: String, _ handler: @escaping RouteHandler) { on(.put, path, handler) }
    /// Adds a PATCH route.
    public mutating func patch(_ path: String, _ handler: @escaping RouteHandler) { on(.patch, path, handler) }
    /// Adds a DELETE route.
    public mutating func delete(_ path: String, _ handler: @escaping RouteHandler) { on(.delete, path, handler) }
    /// Adds an OPTIONS route.
    public mutating func options(_ path: String, _ handler: @escaping RouteHandler) { on(.options, path, handler) }
    /// Adds a route answering every method.
    public mutating func all(_ path: String, _ handler: @escaping RouteHandler) { on(nil, path, handler) }
}

/// A middleware made of a closure.
public struct ClosureMiddleware: Middleware {
    let handle: @Sendable (Request, Next) async throws -> Response

    /// Wraps `handle`.
    public init(handle: @escaping @Sendable (Request, Next) async throws -> Response) {
        self.handle = handle
    }

    /// Calls the wrapped closure.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        try await handle(request, next)
    }
}
