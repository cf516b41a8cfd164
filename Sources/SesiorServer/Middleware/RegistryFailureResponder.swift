import HTTPCore
import Logging
import RedisStore

/// Turns a Redis failure of the user registry inside a route into
/// `503 {"error":"User registry unavailable"}` (the details are logged), instead of a 500.
///
/// It sits after the session middleware, so the thrown `HTTPError` still lets that middleware
/// commit the session as for any error response.
struct RegistryFailureResponder: Middleware {
    let logger: Logger

    func handle(_ request: Request, next: Next) async throws -> Response {
        do {
            return try await next(request)
        } catch let error as RedisError {
            throw failure(error, request: request)
        }
    }

    /// Logs the failure and gives the error to answer with. (Kept out of `handle`, whose async
    /// frame is allocated for every request.)
    @inline(never)
    func failure(_ error: RedisError, request: Request) -> HTTPError {
        logger.error(
            "user registry failed",
            metadata: ["method": "\(request.method)", "path": "\(request.path)", "error": "\(error)"])
        return HTTPError(.serviceUnavailable, reason: "User registry unavailable")
    }
}
