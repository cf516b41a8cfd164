/// Cross-Origin Resource Sharing (the Fetch standard's CORS protocol) with an origin allow-list.
///
/// - Requests without `Origin` pass through untouched.
/// - An allowed origin gets `Access-Control-Allow-Origin`: `*` only when any origin is allowed and
///   credentials are not; otherwise the request's origin is echoed with `Vary: Origin`, so `*` and
///   credentials never go together.
/// - A preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin is answered
///   204 with the allowed methods, headers (the configured ones, or those requested) and max-age.
/// - A disallowed origin gets no CORS headers; its preflight is refused with 403.
public struct CORSMiddleware: Middleware {
    /// Which origins may read responses.
    public struct AllowedOrigins: Sendable {
        let origins: Set<String>?

        /// Any origin.
        public static let any = AllowedOrigins(origins: nil)

        /// Exactly these origins (scheme, host and port, e.g. `https://app.example.com`).
        public static func list(_ origins: [String]) -> AllowedOrigins {
            AllowedOrigins(origins: Set(origins))
        }

        func allows(_ origin: String) -> Bool {
            origins?.contains(origin) ?? true
        }
    }

    /// The origins whose requests get CORS headers.
    public var allowedOrigins: AllowedOrigins
    /// Whether to send `Access-Control-Allow-Credentials: true` (cookies, e.g. the session).
    public var allowCredentials: Bool
    /// Methods a preflight may allow (default GET, HEAD, PUT, PATCH, POST, DELETE).
    public var allowedMethods: [HTTPMethod]
    /// Request headers a preflight may allow; nil echoes `Access-Control-Request-Headers`.
    public var allowedHeaders: [String]?
    /// Response headers scripts may read (`Access-Control-Expose-Headers`).
    public var exposedHeaders: [String]
    /// How long browsers may cache a preflight, in seconds (default 600); nil sends no max-age.
    public var maxAge: Int?

    /// Creates the middleware; see the properties for the defaults.
    public init(
        allowedOrigins: AllowedOrigins,
        allowCredentials: Bool = false,
        allowedMethods: [HTTPMethod] = [.get, .head, .put, .patch, .post, .delete],
        allowedHeaders: [String]? = nil,
        exposedHeaders: [String] = [],
        maxAge: Int? = 600
    ) {
        self.allowedOrigins = allowedOrigins
        self.allowCredentials = allowCredentials
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.exposedHeaders = exposedHeaders
        self.maxAge = maxAge
    }

    /// Adds CORS headers for allowed origins and answers their preflights.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        guard let origin = request.headers["Origin"] else { return try await next(request) }
        return try await handle(request, origin: origin, next: next)
    }

    /// True for requests without an `Origin` header (not cross-origin: nothing to add).
    public func passesOn(_ request: Request) -> Bool {
        !request.headers.contains("Origin")
    }

    /// `handle` for a request with an `Origin` header. (Apart from `handle`, whose async frame,
    /// allocated for every request, then stays small.)
    @inline(never)
    private func handle(_ request: Request, origin: String, next: Next) async throws -> Response {
        let isPreflight = request.method == .options && request.headers.contains("Access-Control-Request-Method")
        guard allowedOrigins.allows(origin) else {
            if isPreflight { throw HTTPError(.forbidden, reason: "CORS origin not allowed") }
            return try await next(request)
        }
        if isPreflight {
            var response = Response(status: .noContent)
            addOriginHeaders(origin, to: &response.headers)
            response.headers.add(name: "Access-Control-Allow-Methods", value: allowedMethods.map(\.rawValue).joined(separator: ", "))
            if let allowedHeaders {
                if !allowedHeaders.isEmpty {
                    response.headers.add(name: "Access-Control-Allow-Headers", value: allowedHeaders.joined(separator: ", "))
                }
            } else if let requested = request.headers["Access-Control-Request-Headers"] {
                response.headers.add(name: "Access-Control-Allow-Headers", value: requested)
                Self.addVary("Access-Control-Request-Headers", to: &response.headers)
            }
            if let maxAge { response.headers.add(name: "Access-Control-Max-Age", value: String(maxAge)) }
            response.headers.add(name: "Content-Length", value: "0")
            return response
        }
        var response = try await next(request)
        addOriginHeaders(origin, to: &response.headers)
        if !exposedHeaders.isEmpty {
            response.headers.replaceOrAdd(name: "Access-Control-Expose-Headers", value: exposedHeaders.joined(separator: ", "))
        }
        return response
    }

    private func addOriginHeaders(_ origin: String, to headers: inout HTTPHeaders) {
        if allowedOrigins.origins == nil && !allowCredentials {
            headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        } else {
            headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: origin)
            Self.addVary("Origin", to: &headers)
        }
        if allowCredentials {
            headers.replaceOrAdd(name: "Access-Control-Allow-Credentials", value: "true")
        }
    }

    /// Adds `field` to `Vary` unless it is already listed.
    private static func addVary(_ field: String, to headers: inout HTTPHeaders) {
        let listed = headers.tokens(for: "Vary")
        guard !listed.contains(field.lowercased()), !listed.contains("*") else { return }
        headers.add(name: "Vary", value: field)
    }
}
