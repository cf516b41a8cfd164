import HTTPCore

/// Which `Origin`s may open a WebSocket: the defence against cross-site WebSocket hijacking,
/// where a foreign page uses the visitor's cookies to open a socket to this server.
///
/// A request without `Origin` is allowed by every policy: browsers always send it on WebSocket
/// handshakes, so its absence means a non-browser client (a script, a native app), which cannot
/// be driven by a foreign page. The literal `null` origin (sandboxed frames, `file:` pages) is
/// foreign unless allow-listed.
public struct WebSocketOriginPolicy: Sendable {
    private enum Kind: Sendable {
        case any
        case sameOrigin(allowList: [String])
        case custom(@Sendable (_ origin: String, _ head: HTTPRequestHead) -> Bool)
    }

    private let kind: Kind

    /// Every origin is allowed (for public, cookie-less endpoints).
    public static var any: WebSocketOriginPolicy { .init(kind: .any) }

    /// Only pages served by this host (the origin's `host[:port]` equals the `Host` header,
    /// ignoring case) and the listed origins (exact `scheme://host[:port]`, e.g.
    /// `https://app.example.com`). The default.
    public static func sameOrigin(allowing allowList: [String] = []) -> WebSocketOriginPolicy {
        .init(kind: .sameOrigin(allowList: allowList.map { $0.lowercased() }))
    }

    /// A custom decision for requests that carry an `Origin`.
    public static func custom(_ allows: @escaping @Sendable (_ origin: String, _ head: HTTPRequestHead) -> Bool) -> WebSocketOriginPolicy {
        .init(kind: .custom(allows))
    }

    /// Whether the request may open a socket.
    public func allows(_ head: HTTPRequestHead) -> Bool {
        guard let origin = head.headers["Origin"] else { return true }
        switch kind {
        case .any:
            return true
        case .custom(let allows):
            return allows(origin, head)
        case .sameOrigin(let allowList):
            let lowered = origin.lowercased()
            if allowList.contains(lowered) { return true }
            let parts = lowered.split(separator: "/", omittingEmptySubsequences: false)
            guard let host = head.headers["Host"]?.lowercased(), parts.count == 3, parts[1].isEmpty,
                  parts[0].hasSuffix(":")
            else { return false }
            let scheme = parts[0].dropLast()
            let originHost = parts[2]
            if originHost == host { return true }
            // A default port may be written in one header and left out in the other.
            let defaultPort = scheme == "https" ? ":443" : (scheme == "http" ? ":80" : nil)
            guard let defaultPort else { return false }
            return originHost + defaultPort == host || originHost == host + defaultPort
        }
    }
}
