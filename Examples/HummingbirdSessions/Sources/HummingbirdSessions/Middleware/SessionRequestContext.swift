// HummingbirdSessions
//
// SESIOR's sessions inside a Hummingbird 2 application: `SessionKitMiddleware` loads the
// express-session compatible session (SessionKit) from the `Cookie` header, hands it to handlers
// through a `SessionRequestContext`, and commits it after the handler. With a `RedisSessionStore`
// the sessions are the same records `sesior` (and a Node express-session app using connect-redis)
// reads and writes, so a user who registered on one server is known on the other.
// Signing, the session JSON and the store are SessionKit's and RedisStore's; nothing is re-implemented here.
import Hummingbird
import SessionKit

/// A Hummingbird request context that carries the request's SessionKit session, set by
/// `SessionKitMiddleware` before the route handler runs.
public protocol SessionRequestContext: RequestContext {
    /// The request's session; nil until `SessionKitMiddleware` has run.
    var session: Session? { get set }
}

extension SessionRequestContext {
    /// The request's session.
    ///
    /// - Throws: `HTTPError(.internalServerError)` when `SessionKitMiddleware` did not run before
    ///   the handler (a wiring mistake, not a client error).
    public func requireSession() throws -> Session {
        guard let session else { throw HTTPError(.internalServerError, message: "Session middleware missing") }
        return session
    }
}

/// The request context of the example application: Hummingbird's core storage plus the session.
public struct SessionsRequestContext: SessionRequestContext {
    /// Hummingbird's per-request storage (logger, endpoint path, parameters).
    public var coreContext: CoreRequestContextStorage
    /// The request's session, set by `SessionKitMiddleware`.
    public var session: Session?

    /// A context for a new request, without a session yet.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.session = nil
    }
}
