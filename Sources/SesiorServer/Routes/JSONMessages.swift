import HTTPCore
import JavaScriptFormats
import SessionKit

extension Response {
    /// A JSON response whose body is `value` serialized with its key order kept, so keys appear in
    /// the documented order (`{"membershipResolved":…,"user":…}`).
    static func orderedJSON(_ value: JSONValue, status: HTTPResponseStatus = .ok) -> Response {
        .json(encoded: value.jsonString, status: status)
    }
}

/// The `{"userName": …}` object the API answers with.
enum UserJSON {
    static func make(_ userName: String) -> JSONValue { ["userName": .string(userName)] }
}
