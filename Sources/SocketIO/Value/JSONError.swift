/// Why a JSON text could not be parsed, and where.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    enum Kind: String, Hashable, Sendable {
        case unexpectedEnd = "unexpected end of input"
        case unexpectedCharacter = "unexpected character"
        case trailingCharacters = "unexpected characters after the value"
        case invalidEscape = "invalid escape sequence"
        case controlCharacterInString = "control character in string"
        case invalidNumber = "invalid number"
        case tooDeep = "nesting too deep"
    }

    let kind: Kind
    /// The byte offset in the JSON text where parsing stopped.
    public let offset: Int

    /// A short human-readable reason.
    public var reason: String { kind.rawValue }
    /// The reason and offset.
    public var description: String { "invalid JSON: \(reason) at offset \(offset)" }
}

extension SocketIOValue {
    /// Parses JSON text (as `JSON.parse` does) into a value.
    public init(json: String) throws(JSONError) {
        self = try JSONReader.parse(json)
    }

    /// The value serialized as `JSON.stringify` would (binary values become invalid placeholders;
    /// use the packet encoder to send binary).
    public var jsonString: String { JSONWriter.string(self) }
}
