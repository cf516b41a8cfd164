/// An ordered stack of middleware, routes and mounted routers, as an Express `Router`.
///
/// A request walks the stack in registration order: middleware runs for every request that
/// reaches it (and continues with `next`), the first route whose method and pattern match
/// answers, and a mounted router, or a middleware added with a path prefix, sees requests under
/// its prefix with the prefix moved from `Request.path` to `Request.baseURL`. A request nothing
/// answers falls through to what follows the router in its parent, with its path, base URL and
/// parameters as they were before it entered.
///
/// Mount prefixes are patterns (`:name` and `*` segments capture as in routes) matched at segment
/// boundaries: `/api` takes `/api`, `/api/` and `/api/x`, not `/apix`. Matching follows the
/// router's `options` (Express's defaults: case-insensitive, trailing slash ignored, a mounted
/// router does not see its mount path's parameters).
public struct Router: RouteBuilder, Sendable {
    struct Route: Sendable {
        /// nil matches every method.
        let method: HTTPMethod?
        let pattern: RoutePattern
        let handler: RouteHandler
        /// The pattern with the prefixes of the routers this one is mounted in (`Response.matchedRoute`).
        var label: String

        func accepts(_ method: HTTPMethod) -> Bool {
            guard let own = self.method else { return true }
            return own == method || (own == .get && method == .head)
        }
    }

    enum Layer: Sendable {
        case middleware(any Middleware)
        case prefixed(RoutePattern, any Middleware)
        case route(Route)
        case mount(RoutePattern, Router)
    }

    /// How this router matches paths and what a router mounted in it inherits; see `RouterOptions`.
    public var options: RouterOptions
    private(set) var layers: [Layer] = []
    /// The handlers `param(_:_:)` registered, by parameter name, in registration order.
    var parameterHandlers: [String: [ParameterHandler]] = [:]

    /// An empty router with `options` (default none: Express's defaults).
    public init(options: RouterOptions = []) {
        self.options = options
    }

    /// Appends `middleware` to this router's stack.
    public mutating func use(_ middleware: some Middleware) {
        layers.append(.middleware(middleware))
    }

    /// Appends `middleware` for requests under `pathPrefix` only (Express's `router.use(path, fn)`):
    /// it sees the path below the prefix, the prefix in `baseURL`, and the prefix's captures in
    /// `parameters`; what it passes to `next` continues here with the path as it was.
    public mutating func use(_ pathPrefix: String, _ middleware: some Middleware) {
        let prefix = RoutePattern(pathPrefix)
        layers.append(prefix.segments.isEmpty ? .middleware(middleware) : .prefixed(prefix, middleware))
    }

    /// Mounts `router` under `pathPrefix`; its layers see the path below the prefix (see `Router`).
    public mutating func use(_ pathPrefix: String, _ router: Router) {
        let prefix = RoutePattern(pathPrefix)
        layers.append(.mount(prefix, router.labelled(under: prefix.segments.isEmpty ? "" : prefix.description)))
    }

    /// Adds a route for `method` (nil: any method) and the `path` pattern.
    public mutating func on(_ method: HTTPMethod?, _ path: String, _ handler: @escaping RouteHandler) {
        let pattern = RoutePattern(path)
        layers.append(.route(Route(method: method, pattern: pattern, handler: handler, label: pattern.description)))
    }

    /// Runs `request` through the stack from layer `start`; `path` is the part of the request
    /// path (split at `/`) below this router's mount point, `fullPath` the whole path, `handled`
    /// the parameter values whose `param` handlers already ran in this router for this request.
    ///
    /// The matching runs in the synchronous `step`: an async function's frame is sized for
    /// everything it ever holds and is allocated from the task for every call, so this one,
    /// entered once per layer of the chain, keeps only what lives across its `await`; mounts and
    /// parameter handlers run in helpers of their own.
    @inline(never)
    func dispatch(
        _ request: Request,
        path: ArraySlice<Substring>,
        fullPath: Substring,
        from start: Int,
        handled: [String: String],
        fallback: @escaping Next
    ) async throws -> Response {
        var request = request
        switch step(&request, path: path, fullPath: fullPath, from: start) {
        case .middleware(let middleware, let next):
            return try await middleware.handle(request) { request in
                try await self.dispatch(request, path: path, fullPath: fullPath, from: next, handled: handled, fallback: fallback)
            }
        case .route(let handler, let layer):
            var response: Response
            if parameterHandlers.isEmpty {
                response = try await handler(request)
            } else {
                response = try await withParameterHandlers(layer: layer, request, handled: handled) { request, _ in
                    try await handler(request)
                }
            }
            if response.matchedRoute == nil { response.matchedRoute = routeLabel(at: layer) }
            return response
        case .prefixed(let middleware, let layer, let exit):
            return try await enter(
                middleware, request, path: path, fullPath: fullPath, layer: layer, exit: exit, handled: handled,
                fallback: fallback)
        case .mount(let router, let rest, let layer, let exit):
            return try await enter(
                router, request, path: path, rest: rest, fullPath: fullPath, layer: layer, exit: exit, handled: handled,
                fallback: fallback)
        case .unanswered:
            return try await fallback(request)
        }
    }

    /// What `dispatch` does next.
    enum Step {
        /// Run this middleware; its `next` continues at layer `next`.
        case middleware(any Middleware, next: Int)
        /// Answer with the handler of the route at `layer` (the request carries its parameters).
        case route(RouteHandler, layer: Int)
        /// Run the middleware of the prefixed layer `layer` (the request is below its prefix);
        /// its `next` continues at `layer + 1` with `exit` put back.
        case prefixed(any Middleware, layer: Int, exit: MountExit)
        /// Enter the router mounted at `layer` with the path from `rest` on (the request is below
        /// the mount point); what it leaves continues at `layer + 1` with `exit` put back.
        case mount(Router, rest: Int, layer: Int, exit: MountExit)
        /// Nothing from `start` on answers: the fallback does.
        case unanswered
    }

    /// Finds the first layer from `start` that takes `request`, setting its route parameters (and,
    /// for a prefix, its base URL) and noting the methods of routes that match its path only.
    @inline(never)
    func step(_ request: inout Request, path: ArraySlice<Substring>, fullPath: Substring, from start: Int) -> Step {
        var index = start
        while index < layers.count {
            switch layers[index] {
            case .middleware(let middleware):
                if !middleware.passesOn(request) { return .middleware(middleware, next: index + 1) }
            case .route(let route):
                var parameters = request.parameters
                if route.pattern.match(path, in: fullPath, options: options, into: &parameters) {
                    if route.accepts(request.method) {
                        // Unchanged (no captures): leave the request's storage shared, uncopied.
                        if parameters != request.parameters { request.parameters = parameters }
                        return .route(route.handler, layer: index)
                    }
                    if let method = route.method {
                        request.extensions[AllowedMethods.self, default: []].append(method)
                    }
                }
            case .prefixed(let prefix, let middleware):
                if let inner = below(prefix, request, path: path, fullPath: fullPath), !middleware.passesOn(inner.request) {
                    let exit = MountExit(request)
                    request = inner.request
                    return .prefixed(middleware, layer: index, exit: exit)
                }
            case .mount(let prefix, let router):
                if let inner = below(prefix, request, path: path, fullPath: fullPath) {
                    let exit = MountExit(request)
                    request = inner.request
                    return .mount(router, rest: inner.rest, layer: index, exit: exit)
                }
            }
            index += 1
        }
        return .unanswered
    }

    /// The label of the route at `layer` (`Response.matchedRoute`).
    private func routeLabel(at layer: Int) -> String? {
        guard case .route(let route) = layers[layer] else { return nil }
        return route.label
    }

    /// This router with every route label, its mounted routers' included, under `prefix`.
    func labelled(under prefix: String) -> Router {
        guard !prefix.isEmpty else { return self }
        var router = self
        router.layers = layers.map { layer in
            switch layer {
            case .route(var route):
                route.label = route.label == "/" ? prefix : prefix + route.label
                return .route(route)
            case .mount(let pattern, let inner):
                return .mount(pattern, inner.labelled(under: prefix))
            case .middleware, .prefixed:
                return layer
            }
        }
        return router
    }

    /// `request` as a layer mounted at `prefix` sees it, with the index of the first segment of
    /// `path` below the prefix; nil when the prefix does not match. (Only for a matching prefix
    /// is the request's storage copied.)
    private func below(
        _ prefix: RoutePattern, _ request: Request, path: ArraySlice<Substring>, fullPath: Substring
    ) -> (request: Request, rest: Int)? {
        var parameters = request.parameters
        let caseSensitive = options.contains(.caseSensitive)
        guard let rest = prefix.matchPrefix(path, in: fullPath, caseSensitive: caseSensitive, into: &parameters) else {
            return nil
        }
        var inner = request
        if parameters != inner.parameters { inner.parameters = parameters }
        if rest > path.startIndex {
            inner.baseLength = fullPath.utf8.distance(from: fullPath.startIndex, to: path[rest - 1].endIndex)
        }
        return (inner, rest)
    }
}

/// What a request had before it went below a mount point; put back when the chain comes out.
struct MountExit: Sendable {
    let baseLength: Int
    let parameters: [String: String]

    init(_ request: Request) {
        baseLength = request.baseLength
        parameters = request.parameters
    }

    /// `request` with the base URL and parameters it had before the mount point.
    func restore(_ request: Request) -> Request {
        var request = request
        request.baseLength = baseLength
        if request.parameters != parameters { request.parameters = parameters }
        return request
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
