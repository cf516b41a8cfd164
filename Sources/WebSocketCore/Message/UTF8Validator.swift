/// An incremental UTF-8 validator (RFC 3629) that judges every byte as it arrives, so that a
/// text message split over many frames fails at the first byte that cannot start or continue a
/// valid sequence (rejecting overlong forms, surrogates and code points above U+10FFFF).
public struct UTF8Validator: Sendable {
    /// Continuation bytes still expected for the current sequence.
    private var remaining: UInt8 = 0
    /// Allowed range of the next continuation byte (narrower right after E0, ED, F0 and F4).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// A validator at a sequence boundary.
    public init() {}

    /// Whether the bytes seen so far end on a sequence boundary.
    public var isComplete: Bool { remaining == 0 }

    /// Checks the next bytes; false as soon as a byte is invalid (the validator must then be
    /// discarded or reset).
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            if remaining == 0 {
                // Fast path: eight ASCII bytes at once.
                while index + 8 <= count,
                      bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                guard index < count else { break }
                let byte = bytes[index]
                index += 1
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: remaining = 1; lower = 0x80; upper = 0xBF
                case 0xE0: remaining = 2; lower = 0xA0; upper = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF: remaining = 2; lower = 0x80; upper = 0xBF
                case 0xED: remaining = 2; lower = 0x80; upper = 0x9F
                case 0xF0: remaining = 3; lower = 0x90; upper = 0xBF
                case 0xF1...0xF3: remaining = 3; lower = 0x80; upper = 0xBF
                case 0xF4: remaining = 3; lower = 0x80; upper = 0x8F
                default: return false
                }
            } else {
                let byte = bytes[index]
                index += 1
                guard byte >= lower && byte <= upper else { return false }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    /// Checks the next bytes of any contiguous collection.
    public mutating func validate<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Bool {
        if let result = bytes.withContiguousStorageIfAvailable({ validate(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        let array = Array(bytes)
        return array.withUnsafeBytes { validate($0) }
    }

    /// Forgets any partial sequence.
    public mutating func reset() {
        self = UTF8Validator()
    }
}
