import Foundation

extension JSONValue {
    /// Converts any `Encodable` into a JSON value (dates become ISO-8601 strings with milliseconds,
    /// as JavaScript's `Date.prototype.toJSON` writes them).
    ///
    /// - Throws: `EncodingError` when the value cannot be encoded.
    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(JavaScriptDate.isoString(date))
        }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let data = try encoder.encode(value)
        self = try JSONValue(parsing: data)
    }

    /// Decodes this value as `type` (dates are read from ISO-8601 strings or epoch milliseconds).
    ///
    /// - Throws: `DecodingError` when the value does not have the shape of `type`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
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
