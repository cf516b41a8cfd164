/// Parses JSON text as `JSON.parse` does, straight from UTF-8 bytes: strict RFC 8259 syntax,
/// duplicate keys keep their first position and take the last value, objects take JavaScript key
/// order, numbers become doubles, invalid UTF-8 is refused.
///
/// Nesting deeper than ``JSONParserLimits/maximumDepth`` is refused so that hostile input cannot
/// exhaust the stack.
@usableFromInline
struct JSONParser<Attachment> {
    @usableFromInline typealias Value = JSONTree<Attachment>

    @usableFromInline let input: UnsafeBufferPointer<UInt8>
    @usableFromInline var index: Int

    @inlinable
    init(_ input: UnsafeBufferPointer<UInt8>) {
        self.input = input
        self.index = 0
    }

    /// Parses a complete JSON text; anything but whitespace after the value is an error.
    @inlinable
    static func parse(_ input: UnsafeBufferPointer<UInt8>) throws(JSONParsingError) -> Value {
        var parser = JSONParser(input)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == input.count else { throw parser.error("unexpected data after the value") }
        return value
    }

    @inlinable
    func error(_ reason: String) -> JSONParsingError { JSONParsingError(reason: reason, offset: index) }

    @inlinable
    var current: UInt8? { index < input.count ? input[index] : nil }

    @inlinable
    mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    @inlinable
    mutating func parseValue(depth: Int) throws(JSONParsingError) -> Value {
        guard depth < JSONParserLimits.maximumDepth else { throw error("nesting too deep") }
        guard let byte = current else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expectLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try expectLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try expectLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character")
        }
    }

    @inlinable
    mutating func expectLiteral(_ literal: StaticString, _ value: Value) throws(JSONParsingError) -> Value {
        let count = literal.utf8CodeUnitCount
        guard input.count - index >= count else { throw error("truncated literal") }
        for offset in 0..<count where input[index + offset] != literal.utf8Start[offset] {
            throw error("unexpected character")
        }
        index += count
        return value
    }

    @inlinable
    mutating func parseObject(depth: Int) throws(JSONParsingError) -> Value {
        index += 1
        var object = JSONObject<Value>()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        // Room for a session cookie's members at once instead of growing two or three times.
        object.reserveCapacity(8)
        var sawIndexKey = false
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            if let position = object.index(forKey: key) {
                object.setValue(value, at: position)
            } else {
                if !sawIndexKey, JSONObjectKey.arrayIndex(key) != nil { sawIndexKey = true }
                object.appendUnordered(key, value)
            }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                if sawIndexKey { object.restoreJavaScriptOrder() }
                return .object(object)
            default: throw error("expected ',' or '}'")
            }
        }
    }

    @inlinable
    mutating func parseArray(depth: Int) throws(JSONParsingError) -> Value {
        index += 1
        var elements: [Value] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default: throw error("expected ',' or ']'")
            }
        }
    }

    @inlinable
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    @inlinable
    mutating func skipDigits() -> Int {
        let start = index
        while index < input.count, Self.isDigit(input[index]) { index += 1 }
        return index - start
    }

    @inlinable
    mutating func parseNumber() throws(JSONParsingError) -> Double {
        let start = index
        let negative = input[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard let first = current, Self.isDigit(first) else { throw error("expected a digit") }
        if first == UInt8(ascii: "0") { index += 1 } else { _ = skipDigits() }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() > 0 else { throw error("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw error("expected a digit in the exponent") }
        }
        let digitsStart = negative ? start + 1 : start
        // Integers of up to 15 digits are exact as doubles: no text conversion needed.
        if isInteger, index - digitsStart <= 15 {
            var value: Int64 = 0
            for position in digitsStart..<index { value = value * 10 + Int64(input[position] &- UInt8(ascii: "0")) }
            return negative ? -Double(value) : Double(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
        guard let number = Double(text) else { throw JSONParsingError(reason: "invalid number", offset: start) }
        return number
    }

    @inlinable
    mutating func parseString() throws(JSONParsingError) -> String {
        index += 1
        let start = index
        var allBits: UInt8 = 0
        // Fast path: no escape before the closing quote, so the string is a slice of the input.
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: input[start..<index])
                // ASCII needs no validation; `String(validating:)` is an unspecialized generic
                // call with runtime metadata lookups, so only non-ASCII text pays for it.
                let string: String
                if allBits < 0x80 {
                    string = String(decoding: slice, as: UTF8.self)
                } else {
                    guard let validated = String(validating: slice, as: UTF8.self) else {
                        throw error("invalid UTF-8 in string")
                    }
                    string = validated
                }
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            guard byte >= 0x20 else { throw error("control character in string") }
            allBits |= byte
            index += 1
        }
        throw error("unterminated string")
    }

    @inlinable
    mutating func parseEscapedString(from start: Int) throws(JSONParsingError) -> String {
        var utf8 = Array(UnsafeBufferPointer(rebasing: input[start..<index]))
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: utf8, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw error("control character in string")
            default:
                utf8.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    @inlinable
    mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParsingError) {
        guard let byte = current else { throw error("unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalarValue = UInt32(try parseHex4())
            if (0xD800...0xDBFF).contains(scalarValue), input.count - index >= 6,
                input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u")
            {
                let saved = index
                index += 2
                let low = UInt32(try parseHex4())
                if (0xDC00...0xDFFF).contains(low) {
                    scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = saved
                }
            }
            // A lone surrogate cannot live in a Swift string; it becomes U+FFFD.
            UTF8.encode(Unicode.Scalar(scalarValue) ?? "\u{FFFD}") { utf8.append($0) }
        default:
            index -= 1
            throw error("invalid escape")
        }
    }

    @inlinable
    mutating func parseHex4() throws(JSONParsingError) -> UInt16 {
        guard input.count - index >= 4 else { throw error("truncated \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}

/// The bounds the JSON parser enforces.
public enum JSONParserLimits {
    /// The deepest nesting of arrays and objects accepted (512 levels).
    public static var maximumDepth: Int { 512 }
}

extension JSONTree {
    /// Parses a JSON text the way `JSON.parse` does.
    ///
    /// - Throws: ``JSONParsingError`` for anything that is not a single valid JSON value.
    @inlinable
    public init(parsing text: String) throws(JSONParsingError) {
        var text = text
        let result: Result<JSONTree, JSONParsingError> = text.withUTF8 { buffer in
            Result { () throws(JSONParsingError) -> JSONTree in try JSONParser.parse(buffer) }
        }
        self = try result.get()
    }

    /// Parses a JSON text given as UTF-8 bytes.
    ///
    /// - Throws: ``JSONParsingError`` for anything that is not a single valid JSON value.
    @inlinable
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParsingError) {
        let result: Result<JSONTree, JSONParsingError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParsingError) -> JSONTree in try JSONParser.parse(buffer) }
        }
        if let result {
            self = try result.get()
        } else {
            self = try JSONTree(parsing: Array(bytes))
        }
    }

    /// Parses a JSON text held in raw memory (a `ByteBuffer`'s readable bytes, say).
    ///
    /// - Throws: ``JSONParsingError`` for anything that is not a single valid JSON value.
    @inlinable
    public init(parsing buffer: UnsafeRawBufferPointer) throws(JSONParsingError) {
        self = try JSONParser.parse(buffer.assumingMemoryBound(to: UInt8.self))
    }
}
