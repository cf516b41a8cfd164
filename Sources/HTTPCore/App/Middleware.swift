/// The rest of the chain after a middleware: call it to pass the (possibly changed) request on and
/// get the response back.
public typealias Next = @Sendable (Request) async throws -> Response

/// One link of the Express-like chain. A middleware may answer by itself, or call `next` and act
/// on the response on its way back (as Express middleware does before and after `next()`).
public protocol Middleware: Sendable {
    /// Answers `request`, either by itself or by calling `next` (possibly with a changed request)
    /// and returning, or changing, its response. A thrown error becomes an error response (see `App`).
    func handle(_ request: Request, next: Next) async throws -> Response

    /// Whether `handle` would do nothing for `request` but `next(request)` and return its response
    /// unchanged (nor act on its errors). The router then goes on without calling `handle`,
    /// which saves the async calls of a layer. Must not have side effects; default `false`.
    func passesOn(_ request: Request) -> Bool
}

extension Middleware {
    /// `false`: `handle` is always called.
    public func passesOn(_ request: Request) -> Bool { false }
}
