import Hummingbird
import JavaScriptFormats
import SessionKit

/// JSON answers in the shapes `sesior` uses, serialized with the ordered `JSONValue` SESIOR uses so
/// the keys come out in the documented order (`{"membershipResolved":…,"user":…}`).
public enum JSONResponse {
    /// A response whose body is `value` as JSON, with `Content-Type: application/json; charset=utf-8`.
    public static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonString)))
    }

    /// `{"error": reason}` with `status`, sesior's (and SESIOR HTTPCore's) error body.
    public static func error(_ status: HTTPResponse.Status, _ reason: String) -> Response {
        make(["error": .string(reason)], status: status)
    }

    /// The `{"userName": …}` object the API answers with.
    public static func user(_ userName: String) -> JSONValue { ["userName": .string(userName)] }
}

/// A client error answered as `{"error": reason}`; thrown by routes and middleware, turned into a
/// response by Hummingbird (after `SessionKitMiddleware` has committed the session).
public struct APIError: HTTPResponseError, Sendable {
    /// The response status, e.g. 400.
    public let status: HTTPResponse.Status
    /// A short reason, safe to show to the client.
    public let reason: String

    /// An error answered with `status` and `reason`.
    public init(_ status: HTTPResponse.Status, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    /// `{"error": reason}` with `status`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.error(status, reason)
    }
}
