/// A handler registered with `param(_:_:)`: gets the request, the value captured for its
/// parameter (percent-decoded, also in `request.parameters`) and the rest of the chain. Like a
/// middleware it passes the request, possibly changed (say with a loaded record in its
/// `extensions`), on with `next`, answers by itself, or throws (an `HTTPError` becomes the answer).
public typealias ParameterHandler = @Sendable (_ request: Request, _ value: String, _ next: Next) async throws -> Response

/// Express's `router.param(name, callback)`.
extension Router {
    /// Adds `handler` for the route parameter `name` (`id` for `:id`). Before the first layer of
    /// this router that captures `name` runs (a route that answers the request, a mount or a
    /// prefixed middleware), the handlers of its parameters run in registration order; each runs
    /// once per request and value, however many layers of this router capture that value. They
    /// belong to this router: routers mounted in it do not run them.
    public mutating func param(_ name: String, _ handler: @escaping ParameterHandler) {
        parameterHandlers[name, default: []].append(handler)
    }

    /// Runs the parameter handlers due for the captures of layer `index` (those not in `handled`
    /// with the same value), then `body` with the request they pass on and the values now handled.
    @inline(never)
    func withParameterHandlers(
        layer index: Int, _ request: Request, handled: [String: String],
        then body: @escaping @Sendable (Request, [String: String]) async throws -> Response
    ) async throws -> Response {
        var due: [ParameterCall] = []
        var handled = handled
        for name in pattern(ofLayer: index)?.parameterNames ?? [] {
            guard let handlers = parameterHandlers[name], let value = request.parameters[name], handled[name] != value
            else { continue }
            handled[name] = value
            due += handlers.map { ParameterCall(value: value, handler: $0) }
        }
        if due.isEmpty { return try await body(request, handled) }
        return try await ParameterChain(calls: due, handled: handled, body: body).run(from: 0, request)
    }

    private func pattern(ofLayer index: Int) -> RoutePattern? {
        switch layers[index] {
        case .middleware: nil
        case .prefixed(let pattern, _), .mount(let pattern, _): pattern
        case .route(let route): route.pattern
        }
    }
}

/// One parameter handler to call, with its value.
private struct ParameterCall: Sendable {
    let value: String
    let handler: ParameterHandler
}

/// The parameter handlers due before a layer, each one's `next` calling the following one and the
/// last one's the layer.
private struct ParameterChain: Sendable {
    let calls: [ParameterCall]
    let handled: [String: String]
    let body: @Sendable (Request, [String: String]) async throws -> Response

    func run(from index: Int, _ request: Request) async throws -> Response {
        guard index < calls.count else { return try await body(request, handled) }
        return try await calls[index].handler(request, calls[index].value) { request in
            try await run(from: index + 1, request)
        }
    }
}
