/// Why the parser refused a request, with the status the server should answer before closing
/// the connection (400, 413, 414, 431, 501 or 505) and a short reason safe to show the client.
public struct HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The response status for this refusal.
    public var status: HTTPResponseStatus
    /// A short, client-safe reason such as "invalid character in field name".
    public var reason: String

    init(_ status: HTTPResponseStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    /// `<status code> <reason>`, e.g. `400 obsolete line folding`.
    public var description: String { "\(status.code) \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError { HTTPParseError(.badRequest, reason) }

    static let requestLineTooLong = HTTPParseError(.uriTooLong, "request line too long")
    static let headerSectionTooLarge = HTTPParseError(.requestHeaderFieldsTooLarge, "header section too large")
    static let tooManyHeaders = HTTPParseError(.requestHeaderFieldsTooLarge, "too many header fields")
    static let bodyTooLarge = HTTPParseError(.payloadTooLarge, "request body too large")
    static let versionNotSupported = HTTPParseError(.httpVersionNotSupported, "HTTP version not supported")
    static let unsupportedTransferCoding = HTTPParseError(.notImplemented, "unsupported transfer coding")
}
