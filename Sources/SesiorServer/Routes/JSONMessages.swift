import HTTPCore
import SessionKit

/// The JSON documents the API answers with, built from SessionKit's ordered `JSONValue` so keys
/// appear in the documented order (`{"membershipResolved":…,"user":…}`).
typealias OrderedJSON = SessionKit.JSONValue

extension Response {
    /// A JSON response whose body is `value` serialized with its key order kept.
    static func orderedJSON(_ value: OrderedJSON, status: HTTPResponseStatus = .ok) -> Response {
        .json(encoded: value.jsonString, status: status)
    }
}

/// The `{"userName": …}` object the API answers with.
enum UserJSON {
    static func make(_ userName: String) -> OrderedJSON { ["userName": .string(userName)] }
}
