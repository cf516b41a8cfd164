/// An HTTP status code with its reason phrase.
public struct HTTPResponseStatus: Hashable, Sendable, CustomStringConvertible {
    /// The three-digit status code.
    public var code: Int
    /// The reason phrase written after the code on the status line.
    public var reasonPhrase: String

    /// A status with this code; without a reason phrase the standard one for the code is used.
    public init(code: Int, reasonPhrase: String? = nil) {
        self.code = code
        self.reasonPhrase = reasonPhrase ?? Self.standardReasonPhrase(code)
    }

    /// `<code> <reason phrase>`, e.g. `404 Not Found`.
    public var description: String { "\(code) \(reasonPhrase)" }

    /// Whether a response with this status never carries a body (1xx, 204, 304).
    public var forbidsBody: Bool { (100..<200).contains(code) || code == 204 || code == 304 }

    /// `100 Continue`: sent before reading the body of a request with `Expect: 100-continue`.
    public static let `continue` = HTTPResponseStatus(code: 100)
    /// `101 Switching Protocols`: an accepted upgrade (WebSocket); see `HTTPUpgrade`.
    public static let switchingProtocols = HTTPResponseStatus(code: 101)
    /// `200 OK`.
    public static let ok = HTTPResponseStatus(code: 200)
    /// `201 Created`.
    public static let created = HTTPResponseStatus(code: 201)
    /// `204 No Content`: sent without any body or framing header.
    public static let noContent = HTTPResponseStatus(code: 204)
    /// `304 Not Modified`: a conditional GET whose representation is unchanged (static files).
    public static let notModified = HTTPResponseStatus(code: 304)
    /// `400 Bad Request`: malformed request; the parser answers it and closes the connection.
    public static let badRequest = HTTPResponseStatus(code: 400)
    /// `401 Unauthorized`.
    public static let unauthorized = HTTPResponseStatus(code: 401)
    /// `403 Forbidden`.
    public static let forbidden = HTTPResponseStatus(code: 403)
    /// `404 Not Found`: what `App` answers when no route matches the path.
    public static let notFound = HTTPResponseStatus(code: 404)
    /// `405 Method Not Allowed`: routes match the path but not the method (sent with `Allow`).
    public static let methodNotAllowed = HTTPResponseStatus(code: 405)
    /// `408 Request Timeout`: a partial request head or a body stalled past `headerReadTimeout`.
    public static let requestTimeout = HTTPResponseStatus(code: 408)
    /// `409 Conflict`.
    public static let conflict = HTTPResponseStatus(code: 409)
    /// `413 Content Too Large`: a body over `maxBodySize` (or a body parser's limit).
    public static let payloadTooLarge = HTTPResponseStatus(code: 413)
    /// `414 URI Too Long`: a request line over `maxRequestLineLength`.
    public static let uriTooLong = HTTPResponseStatus(code: 414)
    /// `415 Unsupported Media Type`.
    public static let unsupportedMediaType = HTTPResponseStatus(code: 415)
    /// `426 Upgrade Required`: e.g. an unsupported `Sec-WebSocket-Version` (sent with the supported one).
    public static let upgradeRequired = HTTPResponseStatus(code: 426)
    /// `431 Request Header Fields Too Large`: a header section over `maxHeaderSectionSize` or
    /// `maxHeaderCount` fields.
    public static let requestHeaderFieldsTooLarge = HTTPResponseStatus(code: 431)
    /// `500 Internal Server Error`: what `App` answers for an error that is not an `HTTPError`.
    public static let internalServerError = HTTPResponseStatus(code: 500)
    /// `501 Not Implemented`: a `Transfer-Encoding` the parser does not support.
    public static let notImplemented = HTTPResponseStatus(code: 501)
    /// `503 Service Unavailable`: e.g. the session store cannot be reached.
    public static let serviceUnavailable = HTTPResponseStatus(code: 503)
    /// `505 HTTP Version Not Supported`: a request line whose major version is not 1.
    public static let httpVersionNotSupported = HTTPResponseStatus(code: 505)

    static func standardReasonPhrase(_ code: Int) -> String {
        switch code {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 426: "Upgrade Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(code)"
        }
    }
}
