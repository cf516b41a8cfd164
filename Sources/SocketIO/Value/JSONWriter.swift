/// Serializes `SocketIOValue`s exactly as JavaScript's `JSON.stringify` does: no whitespace,
/// integers without `.0`, the shortest round-trip form of other numbers in ECMAScript's
/// `Number::toString` layout, and only `"`, `\` and control characters escaped.
///
/// Binary values must have been replaced by placeholders before; a stray one is written as
/// `{"_placeholder":true,"num":-1}` so the output is still valid JSON.
struct JSONWriter {
    var bytes: [UInt8]

    init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The value serialized to a `String`.
    static func string(_ value: SocketIOValue) -> String {
        var writer = JSONWriter()
        writer.write(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ string: String) { bytes.append(contentsOf: string.utf8) }

    mutating func write(_ value: SocketIOValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let number): writeNumber(number)
        case .string(let string): writeString(string)
        case .array(let values):
            append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                write(element)
            }
            append(UInt8(ascii: "]"))
        case .object(let object):
            append(UInt8(ascii: "{"))
            for index in object.indices {
                if index > 0 { append(UInt8(ascii: ",")) }
                writeString(object[index].key)
                append(UInt8(ascii: ":"))
                write(object[index].value)
            }
            append(UInt8(ascii: "}"))
        case .binary: append(#"{"_placeholder":true,"num":-1}"#)
        }
    }

    mutating func writeString(_ string: String) {
        append(UInt8(ascii: "\""))
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                writeEscaped(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        if done == nil {
            for byte in string.utf8 {
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    writeEscaped(byte)
                } else {
                    append(byte)
                }
            }
        }
        append(UInt8(ascii: "\""))
    }

    /// Writes the JSON escape of `"`, `\\` or a control character, as `JSON.stringify` does.
    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case 0x08: append(#"\b"#)
        case 0x0C: append(#"\f"#)
        case 0x0A: append(#"\n"#)
        case 0x0D: append(#"\r"#)
        case 0x09: append(#"\t"#)
        case 0..<0x20:
            append(#"\u00"#)
            append(Self.hexDigits[Int(byte >> 4)])
            append(Self.hexDigits[Int(byte & 0xF)])
        default:
            append(UInt8(ascii: "\\"))
            append(byte)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func writeNumber(_ number: Double) {
        guard number.isFinite else { return append("null") }
        if number == 0 { return append(UInt8(ascii: "0")) }  // also -0, as JavaScript prints it
        if number == number.rounded(.towardZero), abs(number) < 9_007_199_254_740_992 {
            return writeInteger(Int64(number))
        }
        writeECMAScript(number)
    }

    mutating func writeInteger(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// Lays out the shortest round-trip digits of `number` as ECMAScript's `Number::toString`.
    private mutating func writeECMAScript(_ number: Double) {
        if number < 0 { append(UInt8(ascii: "-")) }
        let (digits, pointPosition) = Self.shortestDigits(abs(number))
        let k = digits.count
        let n = pointPosition
        if k <= n && n <= 21 {
            bytes.append(contentsOf: digits)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            bytes.append(contentsOf: digits[0..<n])
            append(UInt8(ascii: "."))
            bytes.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            append("0.")
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            bytes.append(contentsOf: digits)
        } else {
            append(digits[0])
            if k > 1 {
                append(UInt8(ascii: "."))
                bytes.append(contentsOf: digits[1...])
            }
            append(UInt8(ascii: "e"))
            append(UInt8(ascii: n - 1 >= 0 ? "+" : "-"))
            writeInteger(Int64(abs(n - 1)))
        }
    }

    /// The shortest decimal digits that round-trip `number` (> 0) and the position of the decimal
    /// point: `number == 0.d1d2…dk × 10^pointPosition`. Swift's `description` already computes the
    /// shortest digits; only its layout differs from JavaScript's.
    static func shortestDigits(_ number: Double) -> (digits: [UInt8], pointPosition: Int) {
        var digits: [UInt8] = []
        var exponent = 0
        var pointSeen = false
        var digitsBeforePoint = 0
        var inExponent = false
        var exponentSign = 1
        for byte in number.description.utf8 {
            if inExponent {
                if byte == UInt8(ascii: "-") {
                    exponentSign = -1
                } else if byte != UInt8(ascii: "+") {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "."): pointSeen = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            default:
                digits.append(byte)
                if !pointSeen { digitsBeforePoint += 1 }
            }
        }
        var point = digitsBeforePoint + exponentSign * exponent
        while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }
}
