/// Parses JSON text (RFC 8259, as `JSON.parse` accepts it) into `SocketIOValue`s straight from
/// UTF-8 bytes, without Foundation.
///
/// Nesting is limited (`maximumDepth`) so hostile input cannot exhaust the stack. Duplicate keys
/// keep the first position and the last value, as in JavaScript.
struct JSONReader {
    static let maximumDepth = 256

    private let input: UnsafeBufferPointer<UInt8>
    private var index: Int
    private var depth = 0

    private init(_ input: UnsafeBufferPointer<UInt8>) {
        self.input = input
        self.index = input.startIndex
    }

    /// Parses a complete JSON text; trailing non-whitespace is an error.
    static func parse(_ input: UnsafeBufferPointer<UInt8>) throws(JSONError) -> SocketIOValue {
        var reader = JSONReader(input)
        reader.skipWhitespace()
        let value = try reader.parseValue()
        reader.skipWhitespace()
        guard reader.index == input.endIndex else { throw reader.error(.trailingCharacters) }
        return value
    }

    /// Parses a complete JSON text held in a string.
    static func parse(_ text: String) throws(JSONError) -> SocketIOValue {
        var text = text
        return try text.withUTF8Bytes { (buffer) throws(JSONError) -> SocketIOValue in
            try parse(buffer.assumingMemoryBound(to: UInt8.self))
        }
    }

    private func error(_ kind: JSONError.Kind) -> JSONError { JSONError(kind: kind, offset: index) }

    private mutating func skipWhitespace() {
        while index < input.endIndex {
            switch input[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONError) -> SocketIOValue {
        guard index < input.endIndex else { throw error(.unexpectedEnd) }
        switch input[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error(.unexpectedCharacter)
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        guard input.endIndex - index >= count else { throw error(.unexpectedEnd) }
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where input[index + offset] != bytes[offset] {
            throw error(.unexpectedCharacter)
        }
        index += count
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error(.tooDeep) }
    }

    private mutating func parseArray() throws(JSONError) -> SocketIOValue {
        try enter()
        index += 1
        var values: [SocketIOValue] = []
        skipWhitespace()
        if index < input.endIndex, input[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(values)
        }
        while true {
            skipWhitespace()
            values.append(try parseValue())
            skipWhitespace()
            guard index < input.endIndex else { throw error(.unexpectedEnd) }
            switch input[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(values)
            default: throw error(.unexpectedCharacter)
            }
        }
    }

    private mutating func parseObject() throws(JSONError) -> SocketIOValue {
        try enter()
        index += 1
        var object = SocketIOObject()
        skipWhitespace()
        if index < input.endIndex, input[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < input.endIndex else { throw error(.unexpectedEnd) }
            guard input[index] == UInt8(ascii: "\"") else { throw error(.unexpectedCharacter) }
            let key = try parseString()
            skipWhitespace()
            guard index < input.endIndex else { throw error(.unexpectedEnd) }
            guard input[index] == UInt8(ascii: ":") else { throw error(.unexpectedCharacter) }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            if object[key] != nil { object[key] = value } else { object.appendUnchecked(key, value) }
            skipWhitespace()
            guard index < input.endIndex else { throw error(.unexpectedEnd) }
            switch input[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(object)
            default: throw error(.unexpectedCharacter)
            }
        }
    }

    private mutating func parseString() throws(JSONError) -> String {
        index += 1
        let start = index
        while index < input.endIndex {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                let string = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            guard byte >= 0x20 else { throw error(.controlCharacterInString) }
            index += 1
        }
        throw error(.unexpectedEnd)
    }

    private mutating func parseEscapedString(from start: Int) throws(JSONError) -> String {
        var bytes = Array(UnsafeBufferPointer(rebasing: input[start..<index]))
        while index < input.endIndex {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < input.endIndex else { throw error(.unexpectedEnd) }
                let escape = input[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"): appendUTF8(of: try parseUnicodeEscape(), to: &bytes)
                default:
                    index -= 1
                    throw error(.invalidEscape)
                }
            case 0..<0x20: throw error(.controlCharacterInString)
            default:
                bytes.append(byte)
                index += 1
            }
        }
        throw error(.unexpectedEnd)
    }

    /// Reads the 4 hex digits after `\u` (and a following low surrogate escape, if any).
    /// Lone surrogates, which Swift strings cannot hold, become U+FFFD.
    private mutating func parseUnicodeEscape() throws(JSONError) -> Unicode.Scalar {
        let unit = try parseHex4()
        if (0xD800..<0xDC00).contains(unit) {
            if input.endIndex - index >= 6, input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u") {
                let saved = index
                index += 2
                let low = try parseHex4()
                if (0xDC00..<0xE000).contains(low) {
                    let scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    return Unicode.Scalar(scalar) ?? "\u{FFFD}"
                }
                index = saved
            }
            return "\u{FFFD}"
        }
        return Unicode.Scalar(UInt32(unit)) ?? "\u{FFFD}"
    }

    private mutating func parseHex4() throws(JSONError) -> UInt16 {
        guard input.endIndex - index >= 4 else { throw error(.unexpectedEnd) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidEscape)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private func appendUTF8(of scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        UTF8.encode(scalar) { bytes.append($0) }
    }

    private mutating func parseNumber() throws(JSONError) -> Double {
        let start = index
        var isInteger = true
        if input[index] == UInt8(ascii: "-") { index += 1 }
        guard index < input.endIndex else { throw error(.unexpectedEnd) }
        if input[index] == UInt8(ascii: "0") {
            index += 1
        } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(input[index]) {
            skipDigits()
        } else {
            throw error(.invalidNumber)
        }
        if index < input.endIndex, input[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() > 0 else { throw error(.invalidNumber) }
        }
        if index < input.endIndex, input[index] == UInt8(ascii: "e") || input[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < input.endIndex, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard skipDigits() > 0 else { throw error(.invalidNumber) }
        }
        let digits = UnsafeBufferPointer(rebasing: input[start..<index])
        if isInteger, digits.count <= 15 {
            var value: Int64 = 0
            var negative = false
            for byte in digits {
                if byte == UInt8(ascii: "-") { negative = true } else { value = value * 10 + Int64(byte - 48) }
            }
            return negative ? (value == 0 ? -0.0 : -Double(value)) : Double(value)
        }
        guard let value = Double(String(decoding: digits, as: UTF8.self)) else { throw error(.invalidNumber) }
        return value
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while index < input.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(input[index]) { index += 1 }
        return index - start
    }
}
