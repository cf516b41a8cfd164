import Testing

@testable import HTTPCore

/// The word-at-a-time request-target scan must stop at exactly the byte a byte-by-byte scan stops
/// at, in every lane of its 16- and 8-byte steps and of its byte-by-byte tail.
@Suite("Parser: request target scanning")
struct ParserTargetScanTests {
    /// Target lengths around the word and double-word boundaries of the scan.
    static let lengths = [1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 52]

    @Test("every byte value at every position of targets of many lengths and alignments")
    func everyByteEverywhere() {
        let mismatches = ByteScanCheck.mismatches(
            lengths: Self.lengths, filler: UInt8(ascii: "a"), isValid: HTTPByteClass.isTarget
        ) { target, offset in
            let buffer = [UInt8](repeating: UInt8(ascii: "p"), count: offset) + target
                + Array(" HTTP/1.1\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 16)
            return buffer.withUnsafeBufferPointer { pointer in
                HTTPByteClass.firstNonTargetByte(pointer.baseAddress!, from: offset, to: buffer.count) - offset
            }
        }
        #expect(mismatches == 0)
    }
}
