import NIOCore
import Testing

@testable import HTTPCore

/// The word-at-a-time field-value scan must find exactly the byte a byte-by-byte scan finds, in
/// every lane of its 8- and 16-byte steps and of its overlapping tail words.
@Suite("Parser: field value scanning")
struct ParserFieldValueScanTests {
    /// Byte values a field value may not hold (LF ends the line, so it is tested separately).
    static let forbidden: [UInt8] = Array(0x00...0x08) + Array(0x0B...0x1F) + [0x7F]

    /// Value lengths around the word and double-word boundaries of the scan.
    static let lengths = [1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49]

    /// The first byte of `bytes` that `isFieldValue` rejects, one byte at a time.
    static func referenceScan(_ bytes: [UInt8]) -> Int {
        bytes.firstIndex { !HTTPByteClass.isFieldValue($0) } ?? bytes.count
    }

    /// Runs the scanner on `value` placed `offset` bytes into a buffer with `padding` valid bytes after it.
    static func scan(_ value: [UInt8], offset: Int, padding: UInt8? = nil) -> Int {
        let prefix = [UInt8](repeating: UInt8(ascii: "p"), count: offset)
        let suffix = padding.map { [UInt8](repeating: $0, count: 16) } ?? []
        let buffer = prefix + value + suffix
        return buffer.withUnsafeBufferPointer { pointer in
            HTTPByteClass.firstInvalidFieldValueByte(pointer.baseAddress!, from: offset, to: offset + value.count) - offset
        }
    }

    @Test("every byte value at every position of values of many lengths and alignments")
    func everyByteEverywhere() {
        // A forbidden byte just past `end` (the 0x00 padding) must not be reported.
        let mismatches = ByteScanCheck.mismatches(
            lengths: Self.lengths, filler: UInt8(ascii: "a"), isValid: HTTPByteClass.isFieldValue
        ) { value, offset in Self.scan(value, offset: offset, padding: 0x00) }
        #expect(mismatches == 0)
    }

    @Test("the first of two forbidden bytes is found, with tabs and obs-text around them")
    func firstOfTwo() {
        var mismatches = 0
        for length in [8, 16, 17, 32, 33] {
            for first in 0..<length {
                for second in first..<length {
                    for filler: UInt8 in [0x09, 0x80, 0xFF, 0x20, 0x7E] {
                        var value = [UInt8](repeating: UInt8(ascii: "z"), count: length)
                        for index in stride(from: 0, to: length, by: 3) { value[index] = filler }
                        value[second] = 0x7F
                        value[first] = 0x0D
                        if Self.scan(value, offset: 1) != Self.referenceScan(value) { mismatches += 1 }
                    }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("tabs, obs-text and DEL neighbours are accepted at every position")
    func acceptedBytes() {
        for length in Self.lengths {
            for position in 0..<length {
                for byte: UInt8 in [0x09, 0x20, 0x21, 0x7E, 0x80, 0x9F, 0xA0, 0xFE, 0xFF] {
                    var value = [UInt8](repeating: UInt8(ascii: "b"), count: length)
                    value[position] = byte
                    #expect(Self.scan(value, offset: 3) == length, "byte \(byte) at \(position) of \(length)")
                }
            }
        }
    }

    /// A request whose `X-Long` field value (64 bytes) has `byte` at `position`.
    static func request(withByte byte: UInt8, at position: Int) -> [UInt8] {
        var value = [UInt8]("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_".utf8)
        value[position] = byte
        return "GET / HTTP/1.1\r\nHost: h\r\nX-Long: ".bytes + value + "\r\nAccept: */*\r\n\r\n".bytes
    }

    @Test("a forbidden byte at every position of a long value is refused, whole and byte at a time",
        arguments: forbidden)
    func refusedInLongValue(_ byte: UInt8) {
        let reason = byte == HTTPByteClass.cr ? "bare CR in field value" : "invalid character in field value"
        for position in 0..<64 {
            let input = Self.request(withByte: byte, at: position)
            for chunks in [[input], byteAtATime(input)] {
                #expect(throws: HTTPParseError.badRequest(reason), "byte \(byte) at \(position)") {
                    try parseParts(chunks)
                }
            }
        }
    }

    @Test("a bare LF at every position of a long value is refused")
    func bareLineFeedInLongValue() {
        for position in 0..<64 {
            let input = Self.request(withByte: HTTPByteClass.lf, at: position)
            #expect(parseFailureStatus([input]) == 400, "LF at \(position)")
            #expect(parseFailureStatus(byteAtATime(input)) == 400, "LF at \(position), byte at a time")
        }
    }

    @Test("HTAB and obs-text at every position of a long value are kept; OWS at the ends is trimmed")
    func acceptedInLongValue() throws {
        for byte: UInt8 in [0x09, 0x80, 0xFF] {
            for position in 0..<64 {
                let input = Self.request(withByte: byte, at: position)
                let parts = try parseParts([input])
                guard case .head(_, _, _, let headers) = parts.first else {
                    Issue.record("no head for byte \(byte) at \(position)")
                    continue
                }
                var value = [UInt8]("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_".utf8)
                value[position] = byte
                if byte == HTTPByteClass.tab && (position == 0 || position == 63) { value.remove(at: position) }
                #expect(headers[1] == ["X-Long", String(decoding: value, as: UTF8.self)], "byte \(byte) at \(position)")
                #expect(try parseParts(byteAtATime(input)) == parts, "byte \(byte) at \(position), byte at a time")
            }
        }
    }
}
