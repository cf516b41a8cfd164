import Foundation
import JavaScriptFormats
import NIOCore

/// Parses `application/json` bodies (any parameters, e.g. `; charset=utf-8`) like Express's
/// `express.json()`: a body above `limit` bytes is refused with 413, invalid JSON or a top-level
/// value other than an object or array with 400. The parsed value is attached as
/// `request.jsonBody`; `request.decodeJSON(_:)` decodes the body into a `Decodable` type.
/// Other content types and empty bodies pass through untouched.
public struct JSONBodyParser: Middleware {
    /// Largest accepted body in bytes (default 100 KiB, as body-parser's `100kb`).
    public var limit: Int

    /// Creates the parser with a body size limit in bytes.
    public init(limit: Int = 100 * 1024) {
        self.limit = limit
    }

    /// True for requests without a body or whose body is not `application/json`.
    public func passesOn(_ request: Request) -> Bool {
        request.body.readableBytes == 0 || !request.hasContentType("application/json")
    }

    /// Parses a JSON body into `request.jsonBody`, then calls `next`.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        if passesOn(request) { return try await next(request) }
        guard request.body.readableBytes <= limit else {
            throw HTTPError(.payloadTooLarge, reason: "JSON body larger than \(limit) bytes")
        }
        let bytes = request.body.readableBytesView
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            throw HTTPError(.badRequest, reason: "invalid JSON: body must be an object or array")
        }
        var request = request
        do {
            request.extensions[JSONBodyKey.self] = try request.body.withUnsafeReadableBytes {
                (buffer) throws(JSONParsingError) in try JSONValue(parsing: buffer)
            }
        } catch {
            throw HTTPError(.badRequest, reason: error.description)
        }
        return try await next(request)
    }
}

/// Where `JSONBodyParser` keeps the parsed body.
enum JSONBodyKey: RequestExtensionKey {
    typealias Value = JSONValue
}

extension Request {
    /// The body parsed by `JSONBodyParser`, or nil when it did not run or the body was not JSON.
    public var jsonBody: JSONValue? {
        extensions[JSONBodyKey.self]
    }

    /// Decodes the body as JSON into `type`; failures become 400 errors with a short reason
    /// (e.g. `missing key 'name'`).
    public func decodeJSON<T: Decodable>(_ type: T.Type, decoder: JSONDecoder = JSONDecoder()) throws(HTTPError) -> T {
        let data = Data(body.readableBytesView)
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw HTTPError(.badRequest, reason: "invalid JSON: \(JSONErrorReason.short(error, body: data))")
        }
    }
}

/// Short, client-safe descriptions of JSON decoding errors.
enum JSONErrorReason {
    /// A one-line reason for `error`, raised decoding `body`. JSONDecoder gives no detail for
    /// syntax errors, so those take the JSON parser's (e.g. "unexpected character at byte 7").
    static func short(_ error: any Error, body: Data) -> String {
        guard let error = error as? DecodingError else { return "malformed JSON" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(path(context.codingPath + [key]))'"
        case .typeMismatch(let type, let context):
            return "expected \(type) at '\(path(context.codingPath))'"
        case .valueNotFound(let type, let context):
            return "null where \(type) expected at '\(path(context.codingPath))'"
        case .dataCorrupted(let context):
            if !context.codingPath.isEmpty { return "invalid value at '\(path(context.codingPath))'" }
            return syntaxError(in: body) ?? "malformed JSON"
        @unknown default:
            return "malformed JSON"
        }
    }

    private static func syntaxError(in body: Data) -> String? {
        do {
            _ = try JSONValue(parsing: body)
            return nil
        } catch {
            return "\(error.reason) at byte \(error.offset)"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
