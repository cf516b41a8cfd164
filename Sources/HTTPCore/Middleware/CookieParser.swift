/// Parses the `Cookie` header(s) into `request.cookies` (RFC 6265 §5.4 / §4.2.1), tolerating junk
/// as browsers and the npm `cookie` module do: a pair without `=` or with an empty name is skipped,
/// never an error; a value in double quotes is unquoted; `%XX` escapes are decoded when valid
/// (kept as written otherwise); the first pair of a name wins.
public struct CookieParser: Middleware {
    /// Creates the middleware.
    public init() {}

    /// Attaches the parsed cookies, then calls `next`.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        var request = request
        request.extensions[CookiesKey.self] = Self.parse(request.headers.values(for: "Cookie"))
        return try await next(request)
    }

    /// The cookies of `headerValues` (each a `Cookie` field value), first pair of a name winning.
    public static func parse(_ headerValues: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headerValues {
            for pair in header.split(separator: ";", omittingEmptySubsequences: true) {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = pair[..<equals].trimmingCharacters(in: " \t")
                guard !name.isEmpty, cookies[String(name)] == nil else { continue }
                var value = pair[pair.index(after: equals)...].trimmingCharacters(in: " \t")
                if value.count >= 2, value.first == "\"", value.last == "\"" {
                    value = value.dropFirst().dropLast()
                }
                cookies[String(name)] = value.contains("%") ? Self.percentDecoded(value) : String(value)
            }
        }
        return cookies
    }

    private static func percentDecoded(_ value: Substring) -> String {
        (try? PercentDecoding.decode(value.utf8, plusIsSpace: false, strict: true)) ?? String(value)
    }
}

/// Where `CookieParser` keeps the parsed cookies.
enum CookiesKey: RequestExtensionKey {
    typealias Value = [String: String]
}

extension Request {
    /// The request's cookies (name → value, first wins): those `CookieParser` attached, or else
    /// parsed from the `Cookie` header on each access.
    public var cookies: [String: String] {
        extensions[CookiesKey.self] ?? CookieParser.parse(headers.values(for: "Cookie"))
    }
}
