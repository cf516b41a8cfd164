/// Formats doubles as JavaScript's `Number.prototype.toString()` does (ECMA-262 Number::toString).
///
/// Swift's `description` already yields the shortest digit string that round-trips; this type
/// only lays those digits out with JavaScript's rules: plain notation for exponents from -6 to
/// 20, exponent notation (`1.5e+21`, `1e-7`) outside, no trailing `.0`, `-0` as `0`.
public enum JavaScriptNumber {
    /// The JavaScript text of `number` (`NaN`, `Infinity` and `-Infinity` for non-finite ones).
    @inlinable
    public static func string(_ number: Double) -> String {
        guard number.isFinite else { return number.isNaN ? "NaN" : (number < 0 ? "-Infinity" : "Infinity") }
        var bytes: [UInt8] = []
        write(number, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text of a finite `number`.
    @inlinable
    static func write(_ number: Double, into bytes: inout [UInt8]) {
        if number == 0 { return bytes.append(UInt8(ascii: "0")) }  // also -0, as JavaScript prints it
        if number == number.rounded(.towardZero), abs(number) < 9_007_199_254_740_992 {
            return writeInteger(Int64(number), into: &bytes)
        }
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        let (digits, n) = shortestDigits(abs(number))
        let k = digits.count
        if k <= n && n <= 21 {
            bytes.append(contentsOf: digits)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            bytes.append(contentsOf: digits[0..<n])
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: digits[n...])
        } else if -6 < n && n <= 0 {
            bytes.append(contentsOf: "0.".utf8)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            bytes.append(contentsOf: digits)
        } else {
            bytes.append(digits[0])
            if k > 1 {
                bytes.append(UInt8(ascii: "."))
                bytes.append(contentsOf: digits[1...])
            }
            bytes.append(UInt8(ascii: "e"))
            bytes.append(n - 1 < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            writeInteger(abs(n - 1), into: &bytes)
        }
    }

    /// Appends `value` in decimal.
    @inlinable
    static func writeInteger(_ value: some BinaryInteger, into bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// The significant digits of a positive finite `number` (no leading or trailing zeros) and
    /// `n` such that `number == 0.d1d2…dk × 10^n`.
    @inlinable
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

    @inlinable
    static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
