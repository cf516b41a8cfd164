import Testing

@testable import HTTPCore

/// The word-at-a-time field-name scan must stop at exactly the byte a byte-by-byte scan stops at,
/// in every lane of its 16- and 8-byte steps and of its byte-by-byte tail.
@Suite("Parser: field name scanning")
struct ParserFieldNameScanTests {
    /// Name lengths around the word and double-word boundaries of the scan.
    static let lengths = [1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 40]

    /// Runs `tokenEnd` on `name` placed `offset` bytes into a buffer, followed by `:` and padding.
    static func scan(_ name: [UInt8], offset: Int) -> Int {
        let buffer = [UInt8](repeating: UInt8(ascii: "p"), count: offset) + name + Array(": value\r\n".utf8)
            + [UInt8](repeating: UInt8(ascii: "a"), count: 16)
        return buffer.withUnsafeBufferPointer { pointer in
            HTTPByteClass.tokenEnd(pointer.baseAddress!, from: offset, to: buffer.count) - offset
        }
    }

    @Test("every byte value at every position of names of many lengths and alignments")
    func everyByteEverywhere() {
        let mismatches = ByteScanCheck.mismatches(
            lengths: Self.lengths, filler: UInt8(ascii: "x"), isValid: HTTPByteClass.isToken
        ) { name, offset in Self.scan(name, offset: offset) }
        #expect(mismatches == 0)
    }

    @Test("tchars that are not letters, digits or dashes are accepted at every position")
    func otherTokenCharacters() {
        for length in Self.lengths {
            for position in 0..<length {
                for byte in Array("!#$%&'*+.^_`|~".utf8) {
                    var name = [UInt8](repeating: UInt8(ascii: "Z"), count: length)
                    name[position] = byte
                    #expect(Self.scan(name, offset: 1) == length, "\(length) \(position) \(byte)")
                }
            }
        }
    }
}
