/// Something that turns every request into a response; what `HTTPServer` serves.
///
/// `respond(to:)` never throws: errors must already be turned into responses (as `App` does).
public protocol HTTPResponder: Sendable {
    /// The response to `request`; called once per request, possibly concurrently for different
    /// connections.
    func respond(to request: Request) async -> Response
}

/// A route handler: answers one matched request (the route's parameters are in
/// `request.parameters`). Errors it throws become JSON error responses.
public typealias RouteHandler = @Sendable (Request) async throws -> Response
