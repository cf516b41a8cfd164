import HTTPCore
import SessionKit

/// The `RequestExtensions` key under which `SessionMiddleware` stores the request's session.
public enum SessionKey: RequestExtensionKey {
    /// The stored value: the request's `Session`.
    public typealias Value = Session
}

extension Request {
    /// The session `SessionMiddleware` loaded for this request; nil when the middleware does not
    /// run before this handler.
    public var session: Session? {
        get { extensions[SessionKey.self] }
        set { extensions[SessionKey.self] = newValue }
    }

    /// The request's session.
    ///
    /// - Throws: `HTTPError(.internalServerError)` when no `SessionMiddleware` ran before the
    ///   handler (a wiring mistake, not a client error).
    public func requireSession() throws -> Session {
        guard let session else { throw HTTPError(.internalServerError, reason: "Session middleware missing") }
        return session
    }
}
