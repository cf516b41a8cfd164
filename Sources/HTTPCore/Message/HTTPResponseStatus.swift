/// An HTTP status code with its reason phrase.
public struct HTTPResponseStatus: Hashable, Sendable, CustomStringConvertible {
    public var code: Int
    public var reasonPhrase: String

    public init(code: Int, reasonPhrase: String? = nil) {
        self.code = code
        self.reasonPhrase = reasonPhrase ?? Self.standardReasonPhrase(code)
    }

    public var description: String { "\(code) \(reasonPhrase)" }

    /// Whether a response with this status never carries a body (1xx, 204, 304).
    public var forbidsBody: Bool { (100..<200).contains(code) || code == 204 || code == 304 }

    public static let `continue` = HTTPResponseStatus(code: 100)
    public static let switchingProtocols = HTTPResponseStatus(code: 101)
    public static let ok = HTTPResponseStatus(code: 200)
    public static let created = HTTPResponseStatus(code: 201)
    public static let noContent = HTTPResponseStatus(code: 204)
    public static let notModified = HTTPResponseStatus(code: 304)
    public static let badRequest = HTTPResponseStatus(code: 400)
    public static let unauthorized = HTTPResponseStatus(code: 401)
    public static let forbidden = HTTPResponseStatus(code: 403)
    public static let notFound = HTTPResponseStatus(code: 404)
    public static let methodNotAllowed = HTTPResponseStatus(code: 405)
    public static let requestTimeout = HTTPResponseStatus(code: 408)
    public static let conflict = HTTPResponseStatus(code: 409)
    public static let payloadTooLarge = HTTPResponseStatus(code: 413)
    public static let uriTooLong = HTTPResponseStatus(code: 414)
    public static let unsupportedMediaType = HTTPResponseStatus(code: 415)
    public static let upgradeRequired = HTTPResponseStatus(code: 426)
    public static let requestHeaderFieldsTooLarge = HTTPResponseStatus(code: 431)
    public static let internalServerError = HTTPResponseStatus(code: 500)
    public static let notImplemented = HTTPResponseStatus(code: 501)
    public static let serviceUnavailable = HTTPResponseStatus(code: 503)
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
