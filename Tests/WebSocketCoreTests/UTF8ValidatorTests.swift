import Testing
@testable import WebSocketCore

@Suite("UTF-8 validator")
struct UTF8ValidatorTests {
    static let valid: [[UInt8]] = [
        [], Array("plain ASCII that is longer than eight bytes".utf8), Array("κόσμε".utf8),
        [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF], [0xED, 0x9F, 0xBF], [0xC2, 0x80],
    ]

    @Test("valid text passes in any split", arguments: valid)
    func validInAnySplit(bytes: [UInt8]) {
        for split in 0...bytes.count {
            var validator = UTF8Validator()
            let first = validator.validate(bytes[..<split])
            let second = validator.validate(bytes[split...])
            #expect(first && second)
            #expect(validator.isComplete)
        }
    }

    struct Invalid: Sendable {
        var bytes: [UInt8]
        /// The number of bytes after which the validator must already have failed.
        var failsAfter: Int
    }

    static let invalid: [Invalid] = [
        Invalid(bytes: [0x80], failsAfter: 1),  // lone continuation
        Invalid(bytes: [0xC0, 0x80], failsAfter: 1),  // overlong lead
        Invalid(bytes: [0xE0, 0x80, 0x80], failsAfter: 2),  // overlong 3-byte
        Invalid(bytes: [0xED, 0xA0, 0x80], failsAfter: 2),  // surrogate U+D800
        Invalid(bytes: [0xF4, 0x90, 0x80, 0x80], failsAfter: 2),  // above U+10FFFF
        Invalid(bytes: [0xF5], failsAfter: 1),
        Invalid(bytes: [0xFF], failsAfter: 1),
        Invalid(bytes: Array("κόσμε".utf8) + [0xED, 0xA0, 0x80] + Array("edited".utf8), failsAfter: 12),
        Invalid(bytes: [0xCE, 0x41], failsAfter: 2),  // truncated sequence followed by ASCII
    ]

    @Test("invalid text fails at the first bad byte, fed one byte at a time", arguments: invalid)
    func failsFast(sample: Invalid) {
        var validator = UTF8Validator()
        var failedAt: Int?
        for (index, byte) in sample.bytes.enumerated() where !validator.validate([byte]) {
            failedAt = index + 1
            break
        }
        #expect(failedAt == sample.failsAfter)
    }

    @Test("a sequence cut at the end is incomplete")
    func incompleteAtEnd() {
        var validator = UTF8Validator()
        let valid = validator.validate([0xF0, 0x9F, 0x98])
        #expect(valid)
        #expect(!validator.isComplete)
    }
}
