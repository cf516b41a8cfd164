/// One extension offered in `Sec-WebSocket-Extensions` (RFC 6455 §9.1): a name and its
/// parameters in order, values unquoted (nil for a parameter without a value).
public struct WebSocketExtensionOffer: Sendable, Equatable {
    /// The extension token, e.g. `permessage-deflate`.
    public var name: String
    /// The parameters in the order offered; `value` is nil for a bare parameter.
    public var parameters: [(name: String, value: String?)]

    /// An offer of extension `name` with `parameters`.
    public init(name: String, parameters: [(name: String, value: String?)] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Equal when the names and all parameters (in order) are equal.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.parameters.elementsEqual(rhs.parameters) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Parses every offer of every given header value, in order. Malformed offers (an empty
    /// name, an unterminated quoted string) are left out.
    public static func parse(_ headerValues: [String]) -> [WebSocketExtensionOffer] {
        headerValues.flatMap { value in
            splitOutsideQuotes(Substring(value), separator: ",").compactMap(parseOne)
        }
    }

    private static func parseOne(_ text: Substring) -> WebSocketExtensionOffer? {
        let parts = splitOutsideQuotes(text, separator: ";").map(trim)
        guard let name = parts.first, !name.isEmpty, isToken(name) else { return nil }
        var parameters: [(name: String, value: String?)] = []
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else {
                guard isToken(part) else { return nil }
                parameters.append((name: part.lowercased(), value: nil))
                continue
            }
            let key = trim(part[..<equals])
            var value = trim(part[part.index(after: equals)...])
            if value.first == "\"" {
                guard value.count >= 2, value.last == "\"" else { return nil }
                value = value.dropFirst().dropLast()
                if value.contains("\\") { value = Substring(value.replacingBackslashEscapes()) }
            }
            guard isToken(key), !value.isEmpty, isToken(value) else { return nil }
            parameters.append((name: key.lowercased(), value: String(value)))
        }
        return WebSocketExtensionOffer(name: name.lowercased(), parameters: parameters)
    }

    private static func splitOutsideQuotes(_ text: Substring, separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var inQuotes = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if inQuotes && character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == separator && !inQuotes {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        pieces.append(text[start...])
        return pieces.filter { !trim($0).isEmpty }
    }

    private static func trim(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }

    /// RFC 9110 token characters.
    private static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}

extension Substring {
    fileprivate func replacingBackslashEscapes() -> String {
        var result = ""
        var escaped = false
        for character in self {
            if !escaped && character == "\\" {
                escaped = true
            } else {
                result.append(character)
                escaped = false
            }
        }
        return result
    }
}
