import Foundation

/// The cookie settings new sessions start with (express-session's `cookie` option).
///
/// Defaults match express-session: a browser-session cookie (no `maxAge`/`expires`), `httpOnly`
/// true, `path` `/`, every other attribute unset. An existing session keeps the settings stored
/// with it, as in express-session.
public struct SessionCookieOptions: Sendable, Hashable {
    /// Lifetime of the cookie; when set, `expires` is recomputed from it on every request. Wins over `expires`.
    public var maxAge: Duration?
    /// Fixed expiry date, used when `maxAge` is nil.
    public var expires: Date?
    /// `HttpOnly` attribute (default true).
    public var httpOnly: Bool
    /// `Secure` attribute; nil leaves it unset (not written to the session JSON).
    public var secure: Secure?
    /// `SameSite` attribute; nil leaves it unset.
    public var sameSite: SessionCookie.SameSite?
    /// `Domain` attribute; nil leaves it unset.
    public var domain: String?
    /// `Path` attribute (default `/`).
    public var path: String
    /// `Partitioned` attribute; nil leaves it unset.
    public var partitioned: Bool?
    /// `Priority` attribute (`"low"`, `"medium"`, `"high"`); nil leaves it unset.
    public var priority: String?

    /// Cookie settings; every parameter defaults to express-session's default.
    public init(
        maxAge: Duration? = nil,
        expires: Date? = nil,
        httpOnly: Bool = true,
        secure: Secure? = nil,
        sameSite: SessionCookie.SameSite? = nil,
        domain: String? = nil,
        path: String = "/",
        partitioned: Bool? = nil,
        priority: String? = nil
    ) {
        self.maxAge = maxAge
        self.expires = expires
        self.httpOnly = httpOnly
        self.secure = secure
        self.sameSite = sameSite
        self.domain = domain
        self.path = path
        self.partitioned = partitioned
        self.priority = priority
    }

    /// The cookie of a session created at `now` on a connection that is (or is not) secure.
    public func makeCookie(now: Date, isSecureConnection: Bool) -> SessionCookie {
        var cookie = SessionCookie(
            partitioned: partitioned, priority: priority,
            secure: secure.map { $0.resolved(isSecureConnection: isSecureConnection) },
            httpOnly: httpOnly, domain: domain, path: path, sameSite: sameSite)
        if let maxAge {
            let components = maxAge.components
            let milliseconds = Double(components.seconds) * 1000 + (Double(components.attoseconds) / 1e15).rounded(.down)
            cookie.setMaxAge(milliseconds, now: now)
        } else if let expires {
            cookie.expires = JavaScriptDate.truncated(expires)
            cookie.originalMaxAge = cookie.maxAge(now: now)
        }
        return cookie
    }
}

extension SessionCookieOptions {
    /// The `Secure` setting: always, never, or `auto` (secure exactly when the connection is).
    public struct Secure: Sendable, Hashable {
        private enum Mode: Sendable, Hashable { case always, never, auto }
        private let mode: Mode

        /// Mark the cookie `Secure`; it is then only sent back on secure connections.
        public static let always = Secure(mode: .always)
        /// Write `"secure":false` and no attribute.
        public static let never = Secure(mode: .never)
        /// Secure when the request that created the session came over a secure connection.
        public static let auto = Secure(mode: .auto)

        func resolved(isSecureConnection: Bool) -> Bool {
            switch mode {
            case .always: return true
            case .never: return false
            case .auto: return isSecureConnection
            }
        }
    }
}
