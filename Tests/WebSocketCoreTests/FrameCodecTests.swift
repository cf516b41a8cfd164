import NIOCore
import Testing
@testable import WebSocketCore

@Suite("Frame codec")
struct FrameCodecTests {
    static let sampleFrames: [[UInt8]] = [
        clientFrame(.text, "Hello"),
        clientFrame(.binary, Array(repeating: 0xAB, count: 126)),
        clientFrame(.binary, (0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) }),
        clientFrame(.ping, Array("ping".utf8)),
        clientFrame(.close, [0x03, 0xE8] + Array("bye".utf8)),
        clientFrame(.text, "", fin: false),
    ]

    @Test("every frame decodes the same when split at every byte boundary", arguments: sampleFrames.indices)
    func splitAtEveryBoundary(index: Int) throws {
        let bytes = Self.sampleFrames[index]
        let whole = try decodeAll([bytes])
        #expect(whole.count == 1)
        // Large frames: split at every boundary near the header and at a stride in the payload.
        let splits = bytes.count < 300 ? Array(0...bytes.count) : Array(0...20) + Array(stride(from: 21, through: bytes.count, by: 997))
        for split in splits {
            let frames = try decodeAll([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(frames == whole, "split at \(split)")
        }
    }

    @Test("a stream of frames fed one byte at a time")
    func oneByteAtATime() throws {
        let stream = clientFrame(.text, "ab", fin: false) + clientFrame(.ping, []) + clientFrame(.continuation, "cd")
        let frames = try decodeAll(stream.map { [$0] })
        #expect(frames.map(\.opcode) == [.text, .ping, .continuation])
        #expect(frames.map(\.fin) == [false, true, true])
        #expect(frames.map { String(buffer: $0.payload) } == ["ab", "", "cd"])
    }

    @Test("encode then decode round trips", arguments: [0, 1, 7, 8, 9, 125, 126, 127, 65_535, 65_536, 200_000])
    func roundTrip(length: Int) throws {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for opcode in [WebSocketOpcode.text, .binary, .continuation] {
            let frame = WebSocketFrame(fin: length % 2 == 0, rsv1: true, opcode: opcode, payload: ByteBuffer(bytes: payload))
            let masked = WebSocketFrameEncoder.encode(frame, maskingKey: .random())
            #expect(masked.readableBytes == WebSocketFrameEncoder.headerLength(payloadLength: length, masked: true) + length)
            #expect(try decodeAll([Array(masked.readableBytesView)]) == [frame])
            var clientDecoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
            clientDecoder.append(WebSocketFrameEncoder.encode(frame))
            #expect(try clientDecoder.nextFrame() == frame)
        }
    }

    @Test("unmasking word at a time matches byte at a time for every length and alignment")
    func maskingMatchesReference() {
        let key = WebSocketMaskingKey(0x01, 0x80, 0xFE, 0x55)
        let keyBytes: [UInt8] = [0x01, 0x80, 0xFE, 0x55]
        for length in 0..<40 {
            let source = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 13 + 1) }
            let expected = source.enumerated().map { $0.element ^ keyBytes[$0.offset % 4] }
            var output = [UInt8](repeating: 0, count: length)
            source.withUnsafeBytes { src in output.withUnsafeMutableBytes { key.apply(src, into: $0) } }
            #expect(output == expected)
        }
    }

    @Test("server frames are unmasked with the minimal length encoding")
    func serverEncoding() {
        let small = WebSocketFrameEncoder.encode(WebSocketFrame(opcode: .text, payload: ByteBuffer(string: "Hi")))
        #expect(Array(small.readableBytesView) == [0x81, 0x02, 0x48, 0x69])
        let medium = WebSocketFrameEncoder.encode(WebSocketFrame(opcode: .binary, payload: ByteBuffer(repeating: 0, count: 300)))
        #expect(Array(medium.readableBytesView.prefix(4)) == [0x82, 126, 0x01, 0x2C])
        let large = WebSocketFrameEncoder.encode(WebSocketFrame(fin: false, opcode: .binary, payload: ByteBuffer(repeating: 0, count: 65_536)))
        #expect(Array(large.readableBytesView.prefix(10)) == [0x02, 127, 0, 0, 0, 0, 0, 1, 0, 0])
    }

    struct BadFrame: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var code: WebSocketCloseCode
        var testDescription: String { name }
    }

    static let badFrames: [BadFrame] = [
        BadFrame(name: "RSV2 set", bytes: rawMaskedHeader(0xA1, lengthBytes: [0]), code: .protocolError),
        BadFrame(name: "RSV3 set", bytes: rawMaskedHeader(0x91, lengthBytes: [0]), code: .protocolError),
        BadFrame(name: "reserved data opcode 3", bytes: rawMaskedHeader(0x83, lengthBytes: [0]), code: .protocolError),
        BadFrame(name: "reserved control opcode 0xB", bytes: rawMaskedHeader(0x8B, lengthBytes: [0]), code: .protocolError),
        BadFrame(name: "fragmented ping", bytes: rawMaskedHeader(0x09, lengthBytes: [0]), code: .protocolError),
        BadFrame(name: "ping longer than 125", bytes: rawMaskedHeader(0x89, lengthBytes: [126, 0, 126]), code: .protocolError),
        BadFrame(name: "unmasked client frame", bytes: [0x81, 0x00], code: .protocolError),
        BadFrame(name: "non-minimal 16-bit length", bytes: rawMaskedHeader(0x82, lengthBytes: [126, 0, 125]), code: .protocolError),
        BadFrame(name: "non-minimal 64-bit length", bytes: rawMaskedHeader(0x82, lengthBytes: [127, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]), code: .protocolError),
        BadFrame(name: "64-bit length with MSB set", bytes: rawMaskedHeader(0x82, lengthBytes: [127, 0x80, 0, 0, 0, 0, 0, 0, 1]), code: .protocolError),
        BadFrame(name: "frame over the size limit", bytes: rawMaskedHeader(0x82, lengthBytes: [127, 0, 0, 0, 0, 0, 0x20, 0, 0]), code: .messageTooBig),
    ]

    @Test("header errors fail with their close code before the payload arrives", arguments: badFrames)
    func headerErrors(frame: BadFrame) {
        #expect(throws: WebSocketProtocolError.self) { try decodeAll([frame.bytes], maxFrameSize: 1 << 20) }
        do {
            _ = try decodeAll([frame.bytes], maxFrameSize: 1 << 20)
        } catch {
            #expect(error.closeCode == frame.code)
        }
    }

    @Test("a server-side decoder rejects masked frames")
    func clientDecoderRejectsMasked() {
        var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
        decoder.append(ByteBuffer(bytes: clientFrame(.text, "x")))
        #expect(throws: WebSocketProtocolError(closeCode: .protocolError, reason: "masked server frame")) {
            try decoder.nextFrame()
        }
    }
}
