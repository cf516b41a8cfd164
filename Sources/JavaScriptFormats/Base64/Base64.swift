/// Base64 (RFC 4648) in the standard (`+`, `/`, §4) and URL-safe (`-`, `_`, §5) alphabets, with or
/// without `=` padding.
///
/// Decoding is strict: any character outside the alphabet, padding anywhere but at the end or of
/// the wrong length, a length no whole number of bytes can have, and non-zero bits under the
/// padding (a non-canonical encoding) all fail. Node's `Buffer.from(text, "base64")` skips what it
/// does not understand instead; SESIOR refuses such input with a clear error.
public enum Base64 {
    /// Which 64 characters encode the 6-bit groups.
    public enum Alphabet: Sendable {
        /// `A–Z a–z 0–9 + /` (cookie signatures, Engine.IO binary packets, WebSocket keys).
        case standard
        /// `A–Z a–z 0–9 - _` (session ids).
        case urlSafe
    }

    /// How `=` padding is written or accepted.
    public enum Padding: Sendable {
        /// Written, and required when decoding (the length is a multiple of 4).
        case required
        /// Not written; refused when decoding.
        case none
        /// Written when encoding; accepted with or without when decoding.
        case optional
    }

    /// The base64 text of `bytes`.
    @inlinable
    public static func encode(_ bytes: some Sequence<UInt8>, alphabet: Alphabet = .standard, padding: Padding = .required)
        -> String
    {
        var output: [UInt8] = []
        encode(bytes, alphabet: alphabet, padding: padding, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the base64 text of `bytes` to `output`, as ASCII bytes.
    @inlinable
    public static func encode(
        _ bytes: some Sequence<UInt8>, alphabet: Alphabet = .standard, padding: Padding = .required,
        into output: inout [UInt8]
    ) {
        let table = alphabet == .standard ? standardCharacters : urlSafeCharacters
        output.reserveCapacity(output.count + (bytes.underestimatedCount + 2) / 3 * 4)
        var chunk: UInt32 = 0
        var held = 0
        for byte in bytes {
            chunk = chunk << 8 | UInt32(byte)
            held += 1
            if held == 3 {
                output.append(table[Int(chunk >> 18 & 63)])
                output.append(table[Int(chunk >> 12 & 63)])
                output.append(table[Int(chunk >> 6 & 63)])
                output.append(table[Int(chunk & 63)])
                chunk = 0
                held = 0
            }
        }
        guard held > 0 else { return }
        chunk <<= UInt32(8 * (3 - held))
        output.append(table[Int(chunk >> 18 & 63)])
        output.append(table[Int(chunk >> 12 & 63)])
        if held == 2 { output.append(table[Int(chunk >> 6 & 63)]) }
        if padding != .none { output.append(contentsOf: repeatElement(UInt8(ascii: "="), count: 3 - held)) }
    }

    /// The bytes that `text` encodes, or nil when it is not strict base64 of that alphabet and padding.
    @inlinable
    public static func decode(_ text: some Sequence<UInt8>, alphabet: Alphabet = .standard, padding: Padding = .required)
        -> [UInt8]?
    {
        let input = Array(text)
        return input.withUnsafeBytes { buffer in
            guard let count = decodedCount(buffer, padding: padding) else { return nil }
            var output = [UInt8](repeating: 0, count: count)
            let decoded = output.withUnsafeMutableBytes { decode(buffer, alphabet: alphabet, into: $0) }
            return decoded ? output : nil
        }
    }

    /// The bytes that `text` encodes, or nil (strict, as above).
    @inlinable
    public static func decode(_ text: String, alphabet: Alphabet = .standard, padding: Padding = .required) -> [UInt8]? {
        decode(text.utf8, alphabet: alphabet, padding: padding)
    }

    /// How many bytes `text` decodes to, or nil when its length or padding cannot be valid.
    @inlinable
    public static func decodedCount(_ text: UnsafeRawBufferPointer, padding: Padding = .required) -> Int? {
        var end = text.count
        while end > 0, text.count - end < 2, text[end - 1] == UInt8(ascii: "=") { end -= 1 }
        let padded = end != text.count
        switch padding {
        case .required: guard text.count % 4 == 0 else { return nil }
        case .none: guard !padded else { return nil }
        case .optional: guard !padded || text.count % 4 == 0 else { return nil }
        }
        if end % 4 == 1 { return nil }
        return end / 4 * 3 + max(0, end % 4 - 1)
    }

    /// Decodes `text` (whose length ``decodedCount(_:padding:)`` accepted) into `output`, which
    /// holds exactly that many bytes; false on a character outside the alphabet or non-zero bits
    /// under the padding.
    @inlinable
    public static func decode(_ text: UnsafeRawBufferPointer, alphabet: Alphabet = .standard, into output: UnsafeMutableRawBufferPointer)
        -> Bool
    {
        var end = text.count
        while end > 0, text.count - end < 2, text[end - 1] == UInt8(ascii: "=") { end -= 1 }
        var accumulator: UInt32 = 0
        var bits = 0
        var written = 0
        for position in 0..<end {
            guard let value = sextet(text[position], alphabet) else { return false }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                guard written < output.count else { return false }
                output[written] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                written += 1
            }
        }
        // Bits left over must be zero, else another text decodes to the same bytes.
        return written == output.count && accumulator & ((1 << UInt32(bits)) - 1) == 0
    }

    @inlinable
    static func sextet(_ byte: UInt8, _ alphabet: Alphabet) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return alphabet == .standard ? 62 : nil
        case UInt8(ascii: "/"): return alphabet == .standard ? 63 : nil
        case UInt8(ascii: "-"): return alphabet == .urlSafe ? 62 : nil
        case UInt8(ascii: "_"): return alphabet == .urlSafe ? 63 : nil
        default: return nil
        }
    }

    @usableFromInline static let standardCharacters: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    @usableFromInline static let urlSafeCharacters: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
}
