/// The request line and header section of one HTTP request, as the parser delivers it.
public struct HTTPRequestHead: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The request target exactly as sent (origin form: path and optional query).
    public var target: String
    /// The protocol version from the request line (a major version other than 1 is refused with 505).
    public var version: HTTPVersion
    /// The header fields in the order received, duplicates kept.
    public var headers: HTTPHeaders

    /// A request head; `target` is the origin-form path and query.
    public init(method: HTTPMethod, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:]) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// The target's path, without the query.
    public var path: Substring {
        target.firstIndex(of: "?").map { target[..<$0] } ?? target[...]
    }

    /// The raw query string after `?`, or nil.
    public var query: Substring? {
        target.firstIndex(of: "?").map { target[target.index(after: $0)...] }
    }

    /// Whether the connection stays open after this request: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    public var isKeepAlive: Bool {
        let connection = headers.tokens(for: "Connection")
        if version.major == 1 && version.minor >= 1 { return !connection.contains("close") }
        return connection.contains("keep-alive")
    }

    /// Whether the client asks to switch protocols (`Connection: upgrade` and an `Upgrade` field).
    public var isUpgrade: Bool {
        headers.contains("Upgrade") && headers.tokens(for: "Connection").contains("upgrade")
    }

    /// Whether the client sent `Expect: 100-continue`.
    public var expectsContinue: Bool {
        headers["Expect"]?.lowercased() == "100-continue"
    }
}
