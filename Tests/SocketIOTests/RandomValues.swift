import NIOCore

@testable import SocketIO

/// A small deterministic generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random `SocketIOValue`s for round-trip properties.
enum RandomValues {
    static let alphabet: [Character] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\u{1}", "é", "😀", "/", ",", "[", "{"]

    static func string(using generator: inout SeededGenerator) -> String {
        String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func number(using generator: inout SeededGenerator) -> Double {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &generator))
        case 1: return Double.random(in: -1e6...1e6, using: &generator)
        case 2: return Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
        default: return Double.random(in: 0..<1e-5, using: &generator)
        }
    }

    static func bytes(using generator: inout SeededGenerator) -> ByteBuffer {
        ByteBuffer(
            bytes: (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            })
    }

    /// A JSON value (binary values only when `binary`); `depth` bounds nesting.
    static func json(depth: Int, binary: Bool = false, using generator: inout SeededGenerator) -> SocketIOValue {
        let kinds = depth > 0 ? 8 : 6
        switch Int.random(in: 0..<kinds, using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number(number(using: &generator))
        case 3, 4: return .string(string(using: &generator))
        case 5: return binary ? .binary(bytes(using: &generator)) : .string(string(using: &generator))
        case 6:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    json(depth: depth - 1, binary: binary, using: &generator)
                })
        default:
            var object = SocketIOObject()
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                // Keys starting with "_" are avoided so no random object looks like a placeholder.
                object["k" + string(using: &generator)] = json(depth: depth - 1, binary: binary, using: &generator)
            }
            return .object(object)
        }
    }
}
