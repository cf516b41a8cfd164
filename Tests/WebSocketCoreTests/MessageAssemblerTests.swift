import NIOCore
import Testing
@testable import WebSocketCore

@Suite("Message assembly")
struct MessageAssemblerTests {
    @Test("fragments with interleaved control frames make one message")
    func fragmentation() throws {
        let bytes = clientFrame(.text, "Hel", fin: false) + clientFrame(.ping, Array("p".utf8))
            + clientFrame(.continuation, "lo ", fin: false) + clientFrame(.continuation, "world")
            + clientFrame(.binary, [1, 2, 3])
        let result = try events(bytes).get()
        #expect(result == [
            .ping(ByteBuffer(string: "p")), .message(.text("Hello world")), .message(.binary(ByteBuffer(bytes: [1, 2, 3]))),
        ])
    }

    @Test("a multi-byte character split across fragments")
    func characterAcrossFragments() throws {
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        let bytes = clientFrame(.text, [euro[0]], fin: false) + clientFrame(.continuation, [euro[1]], fin: false)
            + clientFrame(.continuation, [euro[2]])
        #expect(try events(bytes).get() == [.message(.text("€"))])
    }

    struct Violation: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var code: WebSocketCloseCode
        var testDescription: String { name }
    }

    static let violations: [Violation] = [
        Violation(name: "continuation without a message", bytes: clientFrame(.continuation, "x"), code: .protocolError),
        Violation(name: "text inside a fragmented message",
                  bytes: clientFrame(.text, "a", fin: false) + clientFrame(.text, "b"), code: .protocolError),
        Violation(name: "RSV1 without deflate", bytes: clientFrame(.text, Array("a".utf8), rsv1: true), code: .protocolError),
        Violation(name: "RSV1 on a ping", bytes: clientFrame(.ping, [], rsv1: true), code: .protocolError),
        Violation(name: "invalid UTF-8", bytes: clientFrame(.text, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xED, 0xA0, 0x80]), code: .invalidPayloadData),
        Violation(name: "text ending inside a character", bytes: clientFrame(.text, [0xE2, 0x82]), code: .invalidPayloadData),
        Violation(name: "message over the limit", bytes: clientFrame(.binary, Array(repeating: 0, count: 101)), code: .messageTooBig),
        Violation(name: "fragmented message over the limit",
                  bytes: clientFrame(.binary, Array(repeating: 0, count: 60), fin: false)
                      + clientFrame(.continuation, Array(repeating: 0, count: 60)), code: .messageTooBig),
        Violation(name: "close payload of one byte", bytes: clientFrame(.close, [0x03]), code: .protocolError),
        Violation(name: "close code 1005", bytes: clientFrame(.close, [0x03, 0xED]), code: .protocolError),
        Violation(name: "close code 999", bytes: clientFrame(.close, [0x03, 0xE7]), code: .protocolError),
        Violation(name: "close code 2000", bytes: clientFrame(.close, [0x07, 0xD0]), code: .protocolError),
        Violation(name: "close reason not UTF-8", bytes: clientFrame(.close, [0x03, 0xE8, 0xFF]), code: .invalidPayloadData),
    ]

    @Test("violations fail with the expected close code", arguments: violations)
    func violation(sample: Violation) {
        #expect(events(sample.bytes, maxMessageSize: 100).failureCode == sample.code)
    }

    @Test("invalid UTF-8 fails on the fragment that carries it, before the message ends")
    func failFastInFragmentedMessage() {
        let bytes = clientFrame(.text, "ok", fin: false) + clientFrame(.continuation, [0xF4, 0x90], fin: false)
        #expect(events(bytes).failureCode == .invalidPayloadData)
    }

    @Test("close frames", arguments: [
        ([UInt8](), WebSocketCloseFrame(code: nil)),
        ([0x03, 0xE8], WebSocketCloseFrame(code: .normalClosure)),
        ([0x0F, 0xA0] + Array("ciao".utf8), WebSocketCloseFrame(code: WebSocketCloseCode(rawValue: 4000), reason: "ciao")),
        ([0x03, 0xF4], WebSocketCloseFrame(code: WebSocketCloseCode(rawValue: 1012))),
    ])
    func closeFrames(payload: [UInt8], expected: WebSocketCloseFrame) throws {
        #expect(try events(clientFrame(.close, payload)).get() == [.close(expected)])
    }

    @Test("valid and invalid close codes", arguments: [
        (1000, true), (1003, true), (1004, false), (1005, false), (1006, false), (1007, true), (1011, true),
        (1014, true), (1015, false), (1016, false), (2999, false), (3000, true), (4999, true), (5000, false), (0, false),
    ])
    func closeCodeValidity(code: Int, valid: Bool) {
        #expect(WebSocketCloseCode(rawValue: UInt16(code)).isValidOnWire == valid)
    }

    @Test("an outgoing close reason is cut to fit a control frame on a character boundary")
    func closeReasonTruncation() throws {
        let frame = WebSocketCloseFrame(code: .goingAway, reason: String(repeating: "é", count: 100))
        #expect(frame.payload.readableBytes == 124)
        let parsed = try WebSocketCloseFrame(payload: frame.payload)
        #expect(parsed.reason == String(repeating: "é", count: 61))
    }

    @Test("invalid UTF-8 fails inside a frame whose end has not arrived, whatever the split")
    func failFastInsideFrame() throws {
        // 3 valid bytes, then a surrogate, then more payload that never arrives.
        let payload: [UInt8] = Array("abc".utf8) + [0xED, 0xA0, 0x80] + Array(repeating: 0x61, count: 20)
        let bytes = clientFrame(.text, payload)
        for split in 8..<(bytes.count - 1) {
            var decoder = WebSocketFrameDecoder()
            var assembler = WebSocketMessageAssembler()
            var failed = false
            for chunk in [Array(bytes[..<split]), Array(bytes[split..<(bytes.count - 1)])] {
                decoder.append(ByteBuffer(bytes: chunk))
                #expect(try decoder.nextFrame() == nil)
                if let part = decoder.incompleteFrame(payloadFrom: assembler.incompleteFrameCheckedBytes, if: assembler.wantsIncompleteFrame) {
                    #expect(Array(part.payload.readableBytesView) == Array(payload[assembler.incompleteFrameCheckedBytes..<(assembler.incompleteFrameCheckedBytes + part.payload.readableBytes)]))
                    do { try assembler.inspectIncompleteFrame(part) } catch { failed = error.closeCode == .invalidPayloadData }
                }
            }
            #expect(failed, "split at \(split)")
        }
    }

    @Test("valid text inspected while it streams in is still delivered once complete")
    func incompleteValidText() throws {
        let bytes = clientFrame(.text, "héllo wörld", fin: false) + clientFrame(.continuation, "!")
        var decoder = WebSocketFrameDecoder()
        var assembler = WebSocketMessageAssembler()
        var events: [WebSocketEvent] = []
        for byte in bytes {
            decoder.append(ByteBuffer(bytes: [byte]))
            while let frame = try decoder.nextFrame() {
                if let event = try assembler.receive(frame) { events.append(event) }
            }
            if let part = decoder.incompleteFrame(payloadFrom: assembler.incompleteFrameCheckedBytes, if: assembler.wantsIncompleteFrame) {
                try assembler.inspectIncompleteFrame(part)
            }
        }
        #expect(events == [.message(.text("héllo wörld!"))])
    }
}
