import Hummingbird
import Logging
import SessionKit

/// Hummingbird router middleware giving every request its SessionKit session, as express-session
/// does for Express and SESIOR's own `SessionMiddleware` does for HTTPCore.
///
/// For each request it loads the session from the `Cookie` header (`SessionLifecycle.load`), puts it
/// in `context.session`, runs the rest of the chain, then commits it (`SessionLifecycle.commit`:
/// saved, or touched, exactly when express-session would) and appends `Set-Cookie` when one is due.
/// Responses for errors thrown by handlers (`HTTPResponseError`) are committed too, as
/// express-session commits on every `res.end`.
///
/// Saving goes through the store's atomic `update`, so a change another server (or a socket event)
/// made to the same session while this request ran is kept: only the keys this request changed are
/// written over it.
///
/// A `SessionStoreError` — while loading, inside a handler (e.g. `regenerate`) or while committing —
/// becomes `503 {"error":"Session store unavailable"}` with its reason logged; it never falls back
/// to a fresh session, which would silently log the user out.
public struct SessionKitMiddleware<Context: SessionRequestContext>: RouterMiddleware {
    /// Loads and commits the sessions.
    public let lifecycle: SessionLifecycle
    /// Decides `isSecureConnection` for `secure: .auto` cookies; default: plain HTTP for every request.
    public let isSecureConnection: @Sendable (Request) -> Bool
    /// Where store failures are logged.
    public let logger: Logger

    /// A middleware for `lifecycle`.
    ///
    /// - Parameter isSecureConnection: whether a request came over TLS (default: never, as the
    ///   example serves plain HTTP); only matters for `secure: .auto` or `.always` cookies.
    public init(
        lifecycle: SessionLifecycle,
        isSecureConnection: @escaping @Sendable (Request) -> Bool = { _ in false },
        logger: Logger = Logger(label: "hummingbird-sessions.session")
    ) {
        self.lifecycle = lifecycle
        self.isSecureConnection = isSecureConnection
        self.logger = logger
    }

    /// Loads the session into `context.session`, runs `next`, commits the session and adds `Set-Cookie`.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            let session = try await lifecycle.load(
                cookieHeader: Self.cookieHeader(of: request), isSecureConnection: isSecureConnection(request))
            var context = context
            context.session = session
            var response: Response
            do {
                response = try await next(request, context)
            } catch let error as SessionStoreError {
                throw error
            } catch let error as any HTTPResponseError {
                response = try error.response(from: request, context: context)
            }
            if let setCookie = try await lifecycle.commit(session) {
                response.headers[values: .setCookie].append(setCookie)
            }
            return response
        } catch let error as SessionStoreError {
            logger.error(
                "session store failed",
                metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "reason": "\(error.reason)"])
            return JSONResponse.error(.serviceUnavailable, "Session store unavailable")
        }
    }

    /// Every `Cookie` field of `request` joined with `; ` (RFC 6265 §5.4 lets a client split the
    /// header), or nil when there is none.
    static func cookieHeader(of request: Request) -> String? {
        let values = request.headers[values: .cookie]
        return values.isEmpty ? nil : values.joined(separator: "; ")
    }
}
