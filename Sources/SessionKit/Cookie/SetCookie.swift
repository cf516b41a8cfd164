/// Builds `Set-Cookie` header values the way Node's `cookie.serialize` (0.7, used by
/// express-session 1.18) does from a session cookie's data.
///
/// Attribute order: `Domain`, `Path`, `Expires`, `HttpOnly`, `Secure`, `Partitioned`, `Priority`,
/// `SameSite`. The value is URL-encoded as `encodeURIComponent` does; no `Max-Age` is written
/// (express-session passes `expires`, not `maxAge`).
public enum SetCookie {
    /// `name=<encoded value>; Domain=…; Path=…; Expires=…; HttpOnly; Secure; …` for `cookie`.
    public static func headerValue(name: String, value: String, cookie: SessionCookie) -> String {
        var header = name + "=" + URIComponent.encode(value)
        if let domain = cookie.domain, !domain.isEmpty { header += "; Domain=" + domain }
        if let path = cookie.path, !path.isEmpty { header += "; Path=" + path }
        if let expires = cookie.expires { header += "; Expires=" + JavaScriptDate.utcString(expires) }
        if cookie.httpOnly == true { header += "; HttpOnly" }
        if cookie.secure == true { header += "; Secure" }
        if cookie.partitioned == true { header += "; Partitioned" }
        switch cookie.priority?.lowercased() {
        case "low": header += "; Priority=Low"
        case "medium": header += "; Priority=Medium"
        case "high": header += "; Priority=High"
        default: break
        }
        if let sameSite = cookie.sameSite?.attributeValue { header += "; SameSite=" + sameSite }
        return header
    }

    /// The `Set-Cookie` value that deletes cookie `name` (empty value, expiry in 1970), for hosts
    /// that want to clear a cookie after `destroy`; express-session itself never sends it.
    public static func expiredHeaderValue(name: String, path: String = "/", domain: String? = nil) -> String {
        var header = name + "="
        if let domain, !domain.isEmpty { header += "; Domain=" + domain }
        header += "; Path=" + path + "; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        return header
    }
}
