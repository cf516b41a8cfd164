/// An ordered stack of middleware, routes and mounted routers, as an Express `Router`.
///
/// A request walks the stack in registration order: middleware runs for every request that
/// reaches it (and continues with `next`), the first route whose method and pattern match
/// answers, and a mounted router sees requests under its prefix with the prefix removed. A request
/// nothing answers falls through to what follows the router in its parent.
public struct Router: RouteBuilder, Sendable {
    struct Route: Sendable {
        /// nil matches every method.
        let method: HTTPMethod?
        let pattern: RoutePattern
        let handler: RouteHandler

        func accepts(_ method: HTTPMethod) -> Bool {
            guard let own = self.method else { return true }
            return own == method || (own == .get && method == .head)
        }
    }

    enum Layer: Sendable {
        case middleware(any Middleware)
        case route(Route)
        case mount(RoutePattern, Router)
    }

    private(set) var layers: [Layer] = []

    /// An empty router.
    public init() {}

    /// Appends `middleware` to this router's stack.
    public mutating func use(_ middleware: some Middleware) {
        layers.append(.middleware(middleware))
    }

    /// Mounts `router` under `pathPrefix`; its layers see the path below the prefix.
    public mutating func use(_ pathPrefix: String, _ router: Router) {
        layers.append(.mount(RoutePattern(pathPrefix), router))
    }

    /// Adds a route for `method` (nil: any method) and the `path` pattern.
    public mutating func on(_ method: HTTPMethod?, _ path: String, _ handler: @escaping RouteHandler) {
        layers.append(.route(Route(method: method, pattern: RoutePattern(path), handler: handler)))
    }

    /// Runs `request` through the stack from layer `start`; `path` is the part of the request
    /// path (split at `/`) below this router's mount point, `fullPath` the whole path.
    ///
    /// The matching runs in the synchronous `step`: an async function's frame is sized for
    /// everything it ever holds and is allocated from the task for every call, so this one,
    /// entered once per layer of the chain, keeps only what lives across its `await`.
    @inline(never)
    func dispatch(
        _ request: Request,
        path: ArraySlice<Substring>,
        fullPath: Substring,
        from start: Int,
        fallback: @escaping Next
    ) async throws -> Response {
        var request = request
        switch step(&request, path: path, fullPath: fullPath, from: start) {
        case .middleware(let middleware, let next):
            return try await middleware.handle(request) { request in
                try await self.dispatch(request, path: path, fullPath: fullPath, from: next, fallback: fallback)
            }
        case .route(let handler):
            return try await handler(request)
        case .mount(let router, let rest, let next):
            return try await router.dispatch(request, path: path[rest...], fullPath: fullPath, from: 0) { request in
                try await self.dispatch(request, path: path, fullPath: fullPath, from: next, fallback: fallback)
            }
        case .unanswered:
            return try await fallback(request)
        }
    }

    /// What `dispatch` does next.
    enum Step {
        /// Run this middleware; its `next` continues at layer `next`.
        case middleware(any Middleware, next: Int)
        /// Answer with this route handler (the request carries its parameters).
        case route(RouteHandler)
        /// Enter this mounted router with the path from `rest` on; then continue at layer `next`.
        case mount(Router, rest: Int, next: Int)
        /// Nothing from `start` on answers: the fallback does.
        case unanswered
    }

    /// Finds the first layer from `start` that takes `request`, setting its route parameters and
    /// noting the methods of routes that match its path only.
    @inline(never)
    func step(_ request: inout Request, path: ArraySlice<Substring>, fullPath: Substring, from start: Int) -> Step {
        var index = start
        while index < layers.count {
            switch layers[index] {
            case .middleware(let middleware):
                if !middleware.passesOn(request) { return .middleware(middleware, next: index + 1) }
            case .route(let route):
                var parameters = request.parameters
                if route.pattern.match(path, in: fullPath, into: &parameters) {
                    if route.accepts(request.method) {
                        // Unchanged (no captures): leave the request's storage shared, uncopied.
                        if parameters != request.parameters { request.parameters = parameters }
                        return .route(route.handler)
                    }
                    if let method = route.method {
                        request.extensions[AllowedMethods.self, default: []].append(method)
                    }
                }
            case .mount(let prefix, let router):
                var parameters = request.parameters
                if let rest = prefix.matchPrefix(path, in: fullPath, into: &parameters) {
                    if parameters != request.parameters { request.parameters = parameters }
                    return .mount(router, rest: rest, next: index + 1)
                }
            }
            index += 1
        }
        return .unanswered
    }
}

/// The methods of routes whose pattern matched a request whose method they do not accept
/// (for the 405 answer and its `Allow` header).
enum AllowedMethods: RequestExtensionKey {
    typealias Value = [HTTPMethod]
}

extension RequestExtensions {
    subscript<Key: RequestExtensionKey>(_ key: Key.Type, default defaultValue: @autoclosure () -> Key.Value) -> Key.Value {
        get { self[key] ?? defaultValue() }
        set { self[key] = newValue }
    }
}
