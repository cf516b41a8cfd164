import JavaScriptFormats

/// A small deterministic generator (SplitMix64), so that property tests are reproducible.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random JSON trees for round-trip properties: strings full of characters that need escaping,
/// numbers across the double range, array-index and plain keys.
public enum RandomJSON {
    /// The characters random strings are made of.
    public static let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\u{1}", "é", "😀", "/", ",", "[", "{"]

    /// A string of up to 8 characters from ``alphabet``.
    public static func string(using generator: inout some RandomNumberGenerator) -> String {
        String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// An integer, a fraction, any finite bit pattern or a tiny number.
    public static func number(using generator: inout some RandomNumberGenerator) -> Double {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
        case 1: return Double.random(in: -1e6...1e6, using: &generator)
        case 2: return Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
        default: return Double.random(in: 0..<1e-5, using: &generator)
        }
    }

    /// An object key: a canonical array index now and then, else `"k"` and a random string (no
    /// key starts with `_`, so that no random object looks like a Socket.IO placeholder).
    public static func key(using generator: inout some RandomNumberGenerator) -> String {
        Int.random(in: 0..<4, using: &generator) == 0
            ? String(Int.random(in: 0...20, using: &generator)) : "k" + string(using: &generator)
    }

    /// A tree nested at most `depth` levels; `attachment`, when given, makes some leaves attachments.
    public static func value<Attachment, Generator: RandomNumberGenerator>(
        depth: Int, using generator: inout Generator, attachment: ((inout Generator) -> Attachment)? = nil
    ) -> JSONTree<Attachment> {
        switch Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number(number(using: &generator))
        case 3, 4: return .string(string(using: &generator))
        case 5: return attachment.map { .attachment($0(&generator)) } ?? .string(string(using: &generator))
        case 6:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    value(depth: depth - 1, using: &generator, attachment: attachment)
                })
        default:
            var object = JSONObject<JSONTree<Attachment>>()
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                object[key(using: &generator)] = value(depth: depth - 1, using: &generator, attachment: attachment)
            }
            return .object(object)
        }
    }
}
