import Foundation
import JavaScriptFormats

/// The `cookie` object of a session, with express-session's fields, JSON key order and semantics.
///
/// It is stored inside the session JSON (`{"cookie":{"originalMaxAge":…,"expires":…,…},…}`) and
/// describes the `Set-Cookie` attributes sent to the browser. Optional fields that are nil are left
/// out of the JSON, as JavaScript leaves out `undefined`; `originalMaxAge` and `expires` are always
/// written (`null` when absent), as express-session does.
public struct SessionCookie: Sendable, Hashable {
    /// The lifetime in milliseconds the cookie was created with (`maxAge`), or nil for a browser-session cookie.
    public var originalMaxAge: Double?
    /// `Partitioned` attribute (CHIPS); nil leaves the field out.
    public var partitioned: Bool?
    /// `Priority` attribute: `"low"`, `"medium"` or `"high"`; nil leaves the field out.
    public var priority: String?
    /// Absolute expiry, or nil for a browser-session cookie. Held at millisecond resolution.
    public var expires: Date?
    /// `Secure` attribute; nil leaves the field out. A secure cookie is only sent over a secure connection.
    public var secure: Bool?
    /// `HttpOnly` attribute, true by default.
    public var httpOnly: Bool?
    /// `Domain` attribute; nil leaves the field out.
    public var domain: String?
    /// `Path` attribute, `/` by default.
    public var path: String?
    /// `SameSite` attribute; nil leaves the field out.
    public var sameSite: SameSite?

    /// A cookie with express-session's defaults: no expiry, `httpOnly: true`, `path: "/"`.
    public init(
        originalMaxAge: Double? = nil,
        partitioned: Bool? = nil,
        priority: String? = nil,
        expires: Date? = nil,
        secure: Bool? = nil,
        httpOnly: Bool? = true,
        domain: String? = nil,
        path: String? = "/",
        sameSite: SameSite? = nil
    ) {
        self.originalMaxAge = originalMaxAge
        self.partitioned = partitioned
        self.priority = priority
        self.expires = expires.map(JavaScriptDate.truncated)
        self.secure = secure
        self.httpOnly = httpOnly
        self.domain = domain
        self.path = path
        self.sameSite = sameSite
    }

    /// Milliseconds left until `expires` at `now`, or nil for a browser-session cookie (express-session's `cookie.maxAge`).
    public func maxAge(now: Date) -> Double? {
        expires.map { Double(JavaScriptDate.milliseconds($0) - JavaScriptDate.milliseconds(now)) }
    }

    /// Sets `expires` to `now + milliseconds` and `originalMaxAge` to `milliseconds` (nil: browser-session cookie).
    public mutating func setMaxAge(_ milliseconds: Double?, now: Date) {
        guard let milliseconds else {
            expires = nil
            originalMaxAge = nil
            return
        }
        expires = JavaScriptDate.date(milliseconds: JavaScriptDate.milliseconds(now) + Int64(milliseconds.rounded(.down)))
        originalMaxAge = milliseconds
    }

    /// Restarts the expiry from `now` with the original lifetime (express-session's `session.touch()`).
    public mutating func resetMaxAge(now: Date) {
        setMaxAge(originalMaxAge, now: now)
    }

    /// Whether the cookie's expiry has passed at `now` (never, for a browser-session cookie).
    public func isExpired(now: Date) -> Bool {
        guard let expires else { return false }
        return JavaScriptDate.milliseconds(expires) <= JavaScriptDate.milliseconds(now)
    }

    /// The `cookie` object as express-session stores it, in its key order.
    public var jsonValue: JSONValue {
        var object = JSONObject<JSONValue>()
        object["originalMaxAge"] = originalMaxAge.map(JSONValue.number) ?? .null
        if let partitioned { object["partitioned"] = .bool(partitioned) }
        if let priority { object["priority"] = .string(priority) }
        object["expires"] = expires.map { .string(JavaScriptDate.isoString($0)) } ?? .null
        if let secure { object["secure"] = .bool(secure) }
        if let httpOnly { object["httpOnly"] = .bool(httpOnly) }
        if let domain { object["domain"] = .string(domain) }
        if let path { object["path"] = .string(path) }
        if let sameSite { object["sameSite"] = sameSite.jsonValue }
        return .object(object)
    }

    /// Reads a stored `cookie` object leniently: fields of an unexpected type are treated as absent,
    /// unknown fields are dropped (express-session drops them too when it rewrites a session).
    public init(jsonValue: JSONValue) {
        self.init(httpOnly: nil, path: nil)
        originalMaxAge = jsonValue["originalMaxAge"]?.numberValue
        partitioned = jsonValue["partitioned"]?.boolValue
        priority = jsonValue["priority"]?.stringValue
        switch jsonValue["expires"] {
        case .string(let text): expires = JavaScriptDate.parseISO(text)
        case .number(let milliseconds): expires = JavaScriptDate.date(milliseconds: Int64(milliseconds))
        default: expires = nil
        }
        secure = jsonValue["secure"]?.boolValue
        httpOnly = jsonValue["httpOnly"]?.boolValue
        domain = jsonValue["domain"]?.stringValue
        path = jsonValue["path"]?.stringValue
        switch jsonValue["sameSite"] {
        case .some(let value) where value.boolValue != nil || value.stringValue != nil: sameSite = SameSite(jsonValue: value)
        default: sameSite = nil
        }
    }
}

extension SessionCookie {
    /// The `SameSite` cookie attribute as express-session stores it: `"strict"`, `"lax"`, `"none"`,
    /// or the boolean `true` (meaning Strict) / `false` (no attribute).
    public struct SameSite: Sendable, Hashable {
        /// The stored JSON form (a string or a boolean).
        public let jsonValue: JSONValue

        /// Wraps a stored value; strings are kept as written.
        public init(jsonValue: JSONValue) {
            self.jsonValue = jsonValue
        }

        /// `SameSite=Strict`.
        public static let strict = SameSite(jsonValue: "strict")
        /// `SameSite=Lax`.
        public static let lax = SameSite(jsonValue: "lax")
        /// `SameSite=None` (requires `secure`).
        public static let none = SameSite(jsonValue: "none")

        /// The attribute value written into `Set-Cookie`, or nil when no attribute is written.
        var attributeValue: String? {
            switch jsonValue {
            case .bool(true): return "Strict"
            case .string(let text):
                switch text.lowercased() {
                case "strict": return "Strict"
                case "lax": return "Lax"
                case "none": return "None"
                default: return nil
                }
            default: return nil
            }
        }
    }
}
