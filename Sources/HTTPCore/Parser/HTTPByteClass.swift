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

    /// One character per byte value: "0" for a `tchar`, "1" otherwise. A static string's bytes are
    /// constant data, so lookups need no lazy initialization.
    private static let nonTokenTable: StaticString = """
        1111111111111111111111111111111110100000110010010000000000111111\
        1000000000000000000000000001110000000000000000000000000000010101\
        1111111111111111111111111111111111111111111111111111111111111111\
        1111111111111111111111111111111111111111111111111111111111111111
        """

    /// Whether any byte in `start..<end` is not a `tchar`, checked without data-dependent branches.
    @inline(__always)
    static func containsNonToken(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        let table = nonTokenTable.utf8Start
        var flags: UInt8 = 0
        var index = start
        while index < end {
            flags |= table[Int(bytes[index])]
            index &+= 1
        }
        return flags & 1 != 0
    }

    /// The index of the first byte in `start..<end` that is not a `tchar`, or `end`.
    @inline(__always)
    static func tokenEnd(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let table = nonTokenTable.utf8Start
        var index = start
        let raw = UnsafeRawPointer(bytes)
        // Sixteen bytes per step as two words (most field names end within the first), then words.
        while index &+ 16 <= end {
            let low = notAlphanumericOrDash(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            let high = notAlphanumericOrDash(
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self)))
            if low | high == 0 {
                index &+= 16
                continue
            }
            index &+= low != 0 ? low.trailingZeroBitCount &>> 3 : 8 &+ high.trailingZeroBitCount &>> 3
            while index < end && table[Int(bytes[index])] == UInt8(ascii: "0") { index &+= 1 }
            return index
        }
        while index &+ 8 <= end {
            let others = notAlphanumericOrDash(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            if others != 0 {
                // The flags are exact per byte, so this is the first byte the word test rejects.
                index &+= others.trailingZeroBitCount &>> 3
                break
            }
            index &+= 8
        }
        while index < end && table[Int(bytes[index])] == UInt8(ascii: "0") { index &+= 1 }
        return index
    }

    /// Whether `byte` may appear in a field value: VCHAR, SP, HTAB or obs-text (no other controls, no DEL).
    @inline(__always)
    static func isFieldValue(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7F) || byte == tab
    }

    /// The index of the first byte in `start..<end` that `isFieldValue` rejects, or `end`.
    /// Checks sixteen bytes per iteration as one SIMD vector (SSE2 on x86-64: a compare pair, an OR
    /// and a mask test); a flagged byte that is an HTAB is skipped and the scan goes on after it. A
    /// tail shorter than sixteen bytes is checked with one or two words that end at `end`, their
    /// already checked bytes masked off.
    @_transparent
    static func firstInvalidFieldValueByte(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        let raw = UnsafeRawPointer(bytes)
        let space = SIMD16<UInt8>(repeating: 0x20)
        let delete = SIMD16<UInt8>(repeating: 0x7F)
        while true {
            while index &+ 16 <= end {
                let vector = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                // Vector-to-vector comparisons: the scalar-operand forms are not lowered to SIMD code.
                let invalid = (vector .< space) .| (vector .== delete)
                if !any(invalid) {
                    index &+= 16
                    continue
                }
                let candidate = index &+ firstSetLane(invalid)
                if bytes[candidate] != tab { return candidate }
                index = candidate &+ 1
            }
            let left = end &- index
            if left <= 0 { return end }
            if end &- start < 8 {
                // Too short for a word: byte by byte.
                while index < end && isFieldValue(bytes[index]) { index &+= 1 }
                return index
            }
            // One or two words ending at `end` cover the 1…15 bytes left; bytes before `index`
            // (already checked) are masked off.
            var wordStart = left > 8 ? index : end &- 8
            var flags = invalidFieldValueFlags(raw.loadUnaligned(fromByteOffset: wordStart, as: UInt64.self))
            if left <= 8 {
                flags &= ~0 &<< UInt64((8 &- left) &* 8)
            } else if flags == 0 {
                wordStart = end &- 8
                flags = invalidFieldValueFlags(raw.loadUnaligned(fromByteOffset: wordStart, as: UInt64.self))
                flags &= ~0 &<< UInt64((16 &- left) &* 8)
            }
            if flags == 0 { return end }
            let candidate = wordStart &+ flags.trailingZeroBitCount &>> 3
            if bytes[candidate] != tab { return candidate }
            index = candidate &+ 1
        }
    }

    /// The index of the first true lane of `mask`, which has at least one.
    @inline(__always)
    static func firstSetLane(_ mask: SIMDMask<SIMD16<Int8>>) -> Int {
        let high = SIMD16<UInt8>(repeating: 0x80)
        let flags = unsafeBitCast(SIMD16<UInt8>(repeating: 0).replacing(with: high, where: mask), to: SIMD2<UInt64>.self)
        let low = UInt64(littleEndian: flags[0])
        return low != 0 ? low.trailingZeroBitCount &>> 3 : 8 &+ UInt64(littleEndian: flags[1]).trailingZeroBitCount &>> 3
    }

    /// The high bit of each byte of `word` that `isFieldValue` rejects (below 0x20 or 0x7F, HTAB
    /// included) is set, exactly: with `y` = (byte + 1) mod 0x80, which maps 0x7F to 0 and
    /// 0x00…0x1F to 1…0x20, a byte is flagged when `y` < 0x21 (`y` + 0x5F has no high bit) and the
    /// byte is ASCII. No per-byte sum reaches 0x100, so no carry crosses bytes.
    @inline(__always)
    static func invalidFieldValueFlags(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let y = ((word & 0x7F7F_7F7F_7F7F_7F7F) &+ ones) & 0x7F7F_7F7F_7F7F_7F7F
        return ~((y &+ 0x5F &* ones) | word) & 0x8080_8080_8080_8080
    }

    /// The index of the first byte in `start..<end` that `isTarget` rejects (a SP ends the target), or `end`.
    @inline(__always)
    static func firstNonTargetByte(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        let raw = UnsafeRawPointer(bytes)
        // Sixteen bytes per step as one SIMD vector (exact per byte), then single words.
        let visible = SIMD16<UInt8>(repeating: 0x21)
        let delete = SIMD16<UInt8>(repeating: 0x7F)
        while index &+ 16 <= end {
            let vector = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
            let invalid = (vector .< visible) .| (vector .== delete)
            if any(invalid) { return index &+ firstSetLane(invalid) }
            index &+= 16
        }
        while index &+ 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if nonTargetFlags(word) != 0 { break }
            index &+= 8
        }
        while index < end && isTarget(bytes[index]) { index &+= 1 }
        return index
    }

    /// The high bit of each byte of `word` that is not an ASCII letter, digit or `-` (the usual
    /// field-name bytes, all `tchar`s). Each per-byte sum stays below 0x100, so no carry crosses
    /// bytes and every flag is exact.
    @inline(__always)
    private static func notAlphanumericOrDash(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let ascii = word & 0x7F7F_7F7F_7F7F_7F7F
        let lower = ascii | 0x2020_2020_2020_2020
        let letters = ((lower &+ 0x1F &* ones) & ~(lower &+ 0x05 &* ones)) & high
        let digits = ((ascii &+ 0x50 &* ones) & ~(ascii &+ 0x46 &* ones)) & high
        let dashDiff = ascii ^ (0x2D &* ones)
        let dashes = ~(((dashDiff & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | dashDiff) & high
        return ~((letters | digits | dashes) & ~word) & high
    }

    /// Nonzero exactly when some byte of `word` is below 0x21 (controls and SP) or is DEL, tested
    /// without a branch: a byte below 0x21 borrows in `word - 0x21…`, and DEL is the byte that
    /// `word ^ 0x7F…` makes zero. Flags above the first such byte may be inexact (borrows), so the
    /// result is only compared with zero.
    @inline(__always)
    private static func nonTargetFlags(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let below = (word &- 0x21 &* ones) & ~word
        let del = word ^ (0x7F &* ones)
        return (below | ((del &- ones) & ~del)) & 0x8080_8080_8080_8080
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

    /// The four bytes at `bytes` as a little-endian word (first byte lowest).
    @inline(__always)
    static func loadWord32(_ bytes: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt32.self))
    }

    /// The eight bytes at `bytes` as a little-endian word (first byte lowest).
    @inline(__always)
    static func loadWord64(_ bytes: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self))
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
