/// Byte classes of the RFC 9110 / RFC 9112 grammar, as branch-light tests the parser's inner
/// loops can inline.
enum HTTPByteClass {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    /// Bits 0–63 and 64–127 of `tchar` (`!#$%&'*+-.^_`|~`, DIGIT, ALPHA).
    private static let tokenLow: UInt64 = 0x03ff_6cfa_0000_0000
    private static let tokenHigh: UInt64 = 0x57ff_ffff_c7ff_fffe

    /// Whether `byte` is a `tchar` (allowed in methods and field names).
    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        if byte < 64 { return (tokenLow &>> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (tokenHigh &>> UInt64(byte &- 64)) & 1 == 1 }
        return false
    }

    /// Whether `byte` may appear in a field value: VCHAR, SP, HTAB or obs-text (no other controls, no DEL).
    @inline(__always)
    static func isFieldValue(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7F) || byte == tab
    }

    /// Whether `byte` may appear in a request target (any visible byte; no controls, SP or DEL).
    @inline(__always)
    static func isTarget(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte != 0x7F
    }

    /// Whether `byte` is SP or HTAB (optional whitespace).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// The value of a hexadecimal digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }

    /// Whether the `length` bytes at `bytes` equal `lowercase` ignoring ASCII case
    /// (`lowercase` must be lowercase letters, digits and `-`).
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: UnsafePointer<UInt8>, _ length: Int, _ lowercase: StaticString) -> Bool {
        guard length == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<length where bytes[index] | 0x20 != expected[index] { return false }
        return true
    }

    /// Whether the `length` bytes at `bytes` equal `literal` exactly.
    @inline(__always)
    static func equals(_ bytes: UnsafePointer<UInt8>, _ length: Int, _ literal: StaticString) -> Bool {
        guard length == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for index in 0..<length where bytes[index] != expected[index] { return false }
        return true
    }
}
