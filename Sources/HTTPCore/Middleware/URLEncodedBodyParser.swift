/// Parses `application/x-www-form-urlencoded` bodies (Express's `express.urlencoded()`, flat):
/// the ordered name/value pairs become `request.formParameters`. A body above `limit` bytes is
/// refused with 413, malformed percent-encoding or invalid UTF-8 with 400. Other content types
/// pass through untouched.
public struct URLEncodedBodyParser: Middleware {
    /// Largest accepted body in bytes (default 100 KiB).
    public var limit: Int

    /// Creates the parser with a body size limit in bytes.
    public init(limit: Int = 100 * 1024) {
        self.limit = limit
    }

    /// Parses a form body into `request.formParameters`, then calls `next`.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        guard request.hasContentType("application/x-www-form-urlencoded") else {
            return try await next(request)
        }
        guard request.body.readableBytes <= limit else {
            throw HTTPError(.payloadTooLarge, reason: "form body larger than \(limit) bytes")
        }
        var request = request
        do {
            request.extensions[FormParametersKey.self] = try QueryParameters(formEncoded: request.body.readableBytesView)
        } catch {
            throw HTTPError(.badRequest, reason: "invalid form body: \(error.reason)")
        }
        return try await next(request)
    }
}

/// Where `URLEncodedBodyParser` keeps the parsed form.
enum FormParametersKey: RequestExtensionKey {
    typealias Value = QueryParameters
}

extension Request {
    /// The form fields parsed by `URLEncodedBodyParser`, or nil when it did not run or the body was
    /// not form-encoded.
    public var formParameters: QueryParameters? {
        extensions[FormParametersKey.self]
    }
}
