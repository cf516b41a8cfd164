// SessionMiddleware
//
// Exposes SessionKit sessions to HTTPCore route handlers, so SessionKit itself imports neither
// HTTPCore nor NIO. This target is the only place where the two meet: it reads the Cookie header,
// calls `SessionLifecycle.load` / `commit`, appends `Set-Cookie`, and turns store failures into 503.
import HTTPCore
import Logging
import SessionKit

/// The HTTPCore middleware that gives every request its session (`request.session`), as
/// express-session does for Express.
///
/// For each request it loads the session from the `Cookie` header, runs the rest of the chain,
/// then commits the session (save or touch as express-session would) and appends the `Set-Cookie`
/// header when one is due. Error responses (`HTTPError` thrown by a handler) are committed too,
/// as express-session commits on every `res.end`.
///
/// A `SessionStoreError` — while loading, in a handler (e.g. `regenerate`), or while committing —
/// becomes `503 {"error":"Session store unavailable"}` with its reason logged; it never falls back
/// to a fresh session, which would silently log the user out.
public struct SessionMiddleware: Middleware {
    /// The lifecycle that loads and commits sessions.
    public let lifecycle: SessionLifecycle
    /// How the middleware decides whether a request came over a secure connection.
    public let connectionSecurity: ConnectionSecurity
    /// Where store failures are logged.
    public let logger: Logger

    /// A middleware for `lifecycle`.
    ///
    /// - Parameter lifecycle: loads and commits the sessions; its configuration holds the cookie
    ///   options, the secrets and the store.
    /// - Parameter connectionSecurity: decides `isSecureConnection` for `secure: .auto` cookies;
    ///   default `.request` (`request.isSecure`: TLS, or a trusted proxy's `X-Forwarded-Proto`).
    /// - Parameter logger: where store failures are logged (default label `sesior.session`).
    public init(
        lifecycle: SessionLifecycle,
        connectionSecurity: ConnectionSecurity = .request,
        logger: Logger = Logger(label: "sesior.session")
    ) {
        self.lifecycle = lifecycle
        self.connectionSecurity = connectionSecurity
        self.logger = logger
    }

    /// Loads the session, runs `next` with it in `request.session`, commits it and adds `Set-Cookie`.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        do {
            let session = try await lifecycle.load(
                cookieHeader: Self.cookieHeader(of: request), isSecureConnection: connectionSecurity.isSecure(request))
            var response: Response
            do {
                response = try await next(Self.request(request, with: session))
            } catch let error as HTTPError {
                response = Response(error: error)
            }
            if let setCookie = try await lifecycle.commit(session) {
                response.headers.add(name: "Set-Cookie", value: setCookie)
            }
            return response
        } catch let error as SessionStoreError {
            return storeFailure(error, request: request)
        }
    }

    /// `request` with `session` attached. (The helpers keep work out of `handle`, whose async
    /// frame is allocated for every request.)
    @inline(never)
    static func request(_ request: Request, with session: Session) -> Request {
        var request = request
        request.extensions[SessionKey.self] = session
        return request
    }

    /// Logs a store failure and gives the 503 answer.
    @inline(never)
    func storeFailure(_ error: SessionStoreError, request: Request) -> Response {
        logger.error(
            "session store failed",
            metadata: ["method": "\(request.method)", "path": "\(request.path)", "reason": "\(error.reason)"])
        return Self.storeUnavailableResponse
    }

    /// The 503 answer to a store failure.
    public static var storeUnavailableResponse: Response {
        Response(error: HTTPError(.serviceUnavailable, reason: "Session store unavailable"))
    }

    /// Every `Cookie` header field of `request` joined with `; ` (HTTP/1.1 clients send one, but
    /// RFC 6265 §5.4 allows a client to split it), or nil when there is none.
    static func cookieHeader(of request: Request) -> String? {
        let values = request.headers.values(for: "Cookie")
        if values.count == 1 { return values[0] }
        return values.isEmpty ? nil : values.joined(separator: "; ")
    }
}
