import Foundation
import OrderedCollections

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

extension JSONValue: Codable {
    private struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes this value as itself (objects keep their key order with `JSONValue(encoding:)`).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let members):
            var container = encoder.container(keyedBy: DynamicKey.self)
            for (key, value) in members { try container.encode(value, forKey: DynamicKey(stringValue: key)) }
        }
    }

    /// Decodes any JSON value (object key order follows the decoder's).
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: DynamicKey.self) {
            var members = OrderedDictionary<String, JSONValue>()
            for key in container.allKeys { members[key.stringValue] = try container.decode(JSONValue.self, forKey: key) }
            self = .object(members)
        } else if var container = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !container.isAtEnd { elements.append(try container.decode(JSONValue.self)) }
            self = .array(elements)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }
}
