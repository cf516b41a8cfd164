/// The grammar of a `Host` field value (RFC 9112 §3.2, RFC 3986 §3.2.2–§3.2.3):
/// `uri-host [ ":" port ]`, where `uri-host` is an IP-literal (`[…]`), an IPv4 address or a
/// reg-name, and `port` is `*DIGIT`. An empty value is valid: RFC 9112 §3.2 has a client send it
/// when the target URI has no authority.
///
/// A byte-class check over a few bytes, without allocation: reg-name bytes are unreserved,
/// sub-delims or `%` followed by two hex digits (an IPv4 address is a reg-name too); inside the
/// brackets of an IP-literal, unreserved, sub-delims and `:` (IPv6 and IPvFuture).
enum HTTPHostField {
    /// Bits 0–63 and 64–127 of reg-name bytes other than `%`: ALPHA, DIGIT, `-._~!$&'()*+,;=`.
    private static let regNameLow: UInt64 = 0x2bff_7fd2_0000_0000
    private static let regNameHigh: UInt64 = 0x47ff_fffe_87ff_fffe
    /// Bits 0–63 of IP-literal bytes: the reg-name ones plus `:` (the high half is the same).
    private static let literalLow: UInt64 = 0x2fff_7fd2_0000_0000

    /// Whether the value at `start..<end` (whitespace already trimmed) is a valid `Host`.
    static func isValid(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var index = start
        if index < end && bytes[index] == UInt8(ascii: "[") {
            index &+= 1
            let literalStart = index
            while index < end && bytes[index] != UInt8(ascii: "]") {
                guard isIn(bytes[index], low: literalLow, high: regNameHigh) else { return false }
                index &+= 1
            }
            guard index < end, index > literalStart else { return false }
            index &+= 1
        } else {
            while index < end && bytes[index] != UInt8(ascii: ":") {
                let byte = bytes[index]
                if byte == UInt8(ascii: "%") {
                    guard end &- index > 2, isHexDigit(bytes[index &+ 1]), isHexDigit(bytes[index &+ 2]) else {
                        return false
                    }
                    index &+= 3
                    continue
                }
                guard isIn(byte, low: regNameLow, high: regNameHigh) else { return false }
                index &+= 1
            }
        }
        if index == end { return true }
        guard bytes[index] == UInt8(ascii: ":") else { return false }
        index &+= 1
        while index < end {
            guard bytes[index] &- UInt8(ascii: "0") < 10 else { return false }
            index &+= 1
        }
        return true
    }

    @inline(__always)
    private static func isIn(_ byte: UInt8, low: UInt64, high: UInt64) -> Bool {
        if byte < 64 { return (low &>> UInt64(byte)) & 1 == 1 }
        if byte < 128 { return (high &>> UInt64(byte &- 64)) & 1 == 1 }
        return false
    }

    @inline(__always)
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }
}
