import Foundation
import JavaScriptFormats
import NIOCore

extension Response {
    /// A response whose body is `value` encoded as JSON (`Content-Type: application/json; charset=utf-8`).
    public static func json(
        _ value: some Encodable, status: HTTPResponseStatus = .ok, encoder: JSONEncoder = JSONEncoder()
    ) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: jsonHeaders, body: .bytes(ByteBuffer(bytes: data)))
    }

    /// A response whose body is a JSON-serializable object graph (dictionaries, arrays, strings,
    /// numbers, booleans, `NSNull`) as `JSONSerialization` writes it.
    public static func json(object: Any, status: HTTPResponseStatus = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])
        return Response(status: status, headers: jsonHeaders, body: .bytes(ByteBuffer(bytes: data)))
    }

    /// A response whose body is already-encoded JSON text.
    public static func json(encoded text: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: jsonHeaders, body: .bytes(ByteBuffer(string: text)))
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(
            status: status, headers: textHeaders,
            body: .bytes(ByteBuffer(string: text)))
    }

    /// A `text/html; charset=utf-8` response.
    public static func html(_ html: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(
            status: status, headers: htmlHeaders,
            body: .bytes(ByteBuffer(string: html)))
    }

    /// An empty `204 No Content` response.
    public static var noContent: Response { Response(status: .noContent) }

    /// The JSON answer for `error`: its status and headers with `{"error": reason}`.
    public init(error: HTTPError) {
        var headers = error.headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json; charset=utf-8")
        var json = JSONWriter(capacity: error.reason.utf8.count + 12)
        json.append(#"{"error":"#)
        json.writeString(error.reason)
        json.append(UInt8(ascii: "}"))
        self.init(status: error.status, headers: headers, body: .bytes(ByteBuffer(bytes: json.bytes)))
    }

    // Built once: a response's copy shares their storage until it adds a field.
    private static let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]
    private static let textHeaders: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8"]
    private static let htmlHeaders: HTTPHeaders = ["Content-Type": "text/html; charset=utf-8"]
}
