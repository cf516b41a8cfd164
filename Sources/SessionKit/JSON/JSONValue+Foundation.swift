import Foundation
import JavaScriptFormats

extension JSONValue {
    /// Converts any `Encodable` into a JSON value, keys in encoding order (dates become ISO-8601
    /// strings with milliseconds, as JavaScript's `Date.prototype.toJSON` writes them).
    ///
    /// - Throws: the value's own encoding errors.
    public init(encoding value: some Encodable) throws {
        self = try JSONValueEncoder.encode(value)
    }

    /// Decodes this value as `type` (dates are read from ISO-8601 strings or epoch milliseconds).
    ///
    /// - Throws: `DecodingError` when the value does not have the shape of `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        if let same = self as? T { return same }
        // Strings and booleans decode to themselves; skip the JSON round trip through Foundation.
        if T.self == String.self, case .string(let text) = self { return text as! T }
        if T.self == Bool.self, case .bool(let flag) = self { return flag as! T }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let milliseconds = try? container.decode(Double.self) {
                return Date(timeIntervalSince1970: milliseconds / 1000)
            }
            let text = try container.decode(String.self)
            guard let date = JavaScriptDate.parseISO(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO-8601 date: \(text)")
            }
            return date
        }
        return try decoder.decode(T.self, from: Data(jsonString.utf8))
    }
}
