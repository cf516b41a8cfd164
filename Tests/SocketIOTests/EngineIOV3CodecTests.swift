import NIOCore
import Testing

@testable import SocketIO

/// The Engine.IO v3 payload framings, binary WebSocket messages and handshake query options.
@Suite("Engine.IO v3 codec")
struct EngineIOV3CodecTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func textFramingPrefixesEveryPacketWithItsLengthInUTF16Units() throws {
        // The protocol's example: `6:4hello2:4€` (`€` is one UTF-16 unit, three UTF-8 bytes).
        let packets = [EngineIOPacket(.message, "hello"), EngineIOPacket(.message, "€")]
        #expect(Self.text(EngineIOPayloadV3.encodeText(packets)) == "6:4hello2:4€")
        #expect(Self.text(EngineIOPayloadV3.encodeText([EngineIOPacket(.message, "😀")])) == "3:4😀")
        #expect(Self.text(EngineIOPayloadV3.encodeText([])) == "0:")
        #expect(try EngineIOPayloadV3.decode(Array("6:4hello2:4€".utf8)) == packets)
        #expect(
            try EngineIOPayloadV3.decode(Array("3:4😀1:2".utf8)) == [EngineIOPacket(.message, "😀"), EngineIOPacket(.ping)])
    }

    @Test func textFramingCarriesBinaryAsB4Base64() throws {
        let binary = EngineIOPacket.binaryMessage(ByteBuffer(bytes: [1, 2, 3, 4]))
        #expect(Self.text(EngineIOPayloadV3.encodeText([binary])) == "10:b4AQIDBA==")
        #expect(
            try EngineIOPayloadV3.decode(Array("10:b4AQIDBA==2:40".utf8)) == [binary, EngineIOPacket(.message, "0")])
    }

    @Test func binaryFramingMarksTextAndBinaryPacketsWithByteLengths() throws {
        let packets = [EngineIOPacket(.message, "é"), .binaryMessage(ByteBuffer(bytes: [1, 2, 3]))]
        let encoded = EngineIOPayloadV3.encodeBinary(packets)
        // 0, length 3 ("4é" is three UTF-8 bytes), 0xFF, text; 1, length 4, 0xFF, type 4 + bytes
        #expect(encoded == [0, 3, 0xFF, 0x34, 0xC3, 0xA9, 1, 4, 0xFF, 4, 1, 2, 3])
        #expect(try EngineIOPayloadV3.decode(encoded) == packets)
        let long = EngineIOPacket(.message, String(repeating: "x", count: 11))
        #expect(EngineIOPayloadV3.encodeBinary([long]).prefix(4) == [0, 1, 2, 0xFF])
    }

    @Test(arguments: [
        "", "4hello", ":4", "x:4", "6:4hel", "1:9", "5:b4!!!", "10:b1AQIDBA==", "1234567890:4",
    ])
    func malformedTextPayloadsAreRefused(_ payload: String) {
        #expect(throws: EngineIOError.self) { try EngineIOPayloadV3.decode(Array(payload.utf8)) }
    }

    @Test(
        arguments: [[0], [0, 0xFF], [0, 5, 0xFF, 0x34], [2, 1, 0xFF, 0x34], [1, 1, 0xFF, 2], [0, 10, 0xFF, 0x34]]
            as [[UInt8]])
    func malformedBinaryPayloadsAreRefused(_ payload: [UInt8]) {
        #expect(throws: EngineIOError.self) { try EngineIOPayloadV3.decode(payload) }
    }

    @Test func anEmptyTextPacketIsSkippedAsEngineIODoes() throws {
        #expect(try EngineIOPayloadV3.decode(Array("0:1:2".utf8)) == [EngineIOPacket(.ping)])
    }

    @Test func webSocketBinaryMessagesCarryATypeByte() throws {
        let format = EngineIOWireFormat(protocolVersion: .v3)
        let packet = EngineIOPacket.binaryMessage(ByteBuffer(bytes: [7, 8]))
        #expect(format.frame(packet) == .binary(ByteBuffer(bytes: [4, 7, 8])))
        #expect(try format.packet(in: .binary(ByteBuffer(bytes: [4, 7, 8]))) == packet)
        #expect(format.frame(fromV4: .binary(ByteBuffer(bytes: [7, 8]))) == .binary(ByteBuffer(bytes: [4, 7, 8])))
        #expect(format.frame(fromV4: .text("42[]")) == .text("42[]"))
        #expect(throws: EngineIOError.self) { try format.packet(in: .binary(ByteBuffer())) }
        #expect(throws: EngineIOError.self) { try format.packet(in: .binary(ByteBuffer(bytes: [2]))) }
        #expect(EngineIOWireFormat.v4.frame(packet) == .binary(ByteBuffer(bytes: [7, 8])))
    }

    @Test func theHandshakeQueryPicksTheFormat() {
        #expect(EngineIOWireFormat(query: "EIO=4&transport=polling&j=1") == .v4)
        #expect(EngineIOWireFormat(query: "EIO=3&transport=polling") == EngineIOWireFormat(protocolVersion: .v3))
        #expect(EngineIOWireFormat(query: "EIO=3&transport=polling&b64=1").base64Binary)
        #expect(!EngineIOWireFormat(query: "EIO=3&transport=polling&b64=").base64Binary)
        let jsonp = EngineIOWireFormat(query: "EIO=3&transport=polling&j=4x2")
        #expect(jsonp.jsonpIndex == "42")
        #expect(jsonp.base64Binary)
    }

    @Test func pollAnswersUseTheBinaryFramingOnlyForBinaryToXHR2Clients() {
        let binary = [EngineIOPacket.binaryMessage(ByteBuffer(bytes: [1]))]
        let xhr2 = EngineIOWireFormat(protocolVersion: .v3)
        #expect(xhr2.pollBody(binary).contentType == "application/octet-stream")
        #expect(xhr2.pollBody([EngineIOPacket(.message, "x")]).body == Array("2:4x".utf8))
        let base64 = EngineIOWireFormat(protocolVersion: .v3, base64Binary: true)
        #expect(Self.text(base64.pollBody(binary).body) == "6:b4AQ==")
        #expect(base64.pollBody(binary).contentType == "text/plain; charset=UTF-8")
    }

    @Test func jsonpWrapsTheTextPayloadInAScriptAndUnwrapsForms() throws {
        let format = EngineIOWireFormat(protocolVersion: .v3, base64Binary: true, jsonpIndex: "3")
        let body = format.pollBody([EngineIOPacket(.message, "\"a\"\u{2028}")]).body
        #expect(Self.text(body) == #"___eio[3]("5:4\"a\"\u2028");"#)
        let form = ByteBuffer(string: "d=6%3A4a%5Cnb%5C%5Cn")
        #expect(try format.packets(inPostBody: form) == [EngineIOPacket(.message, "a\nb\\n")])
        #expect(throws: EngineIOError.self) { try format.packets(inPostBody: ByteBuffer(string: "x=1")) }
    }

    @Test func engineIO3IsRefusedUnlessAllowed() {
        #expect(
            EngineIORequest.classify(method: .get, query: "EIO=3&transport=polling", isWebSocketUpgrade: false)
                == .failure(.unsupportedProtocolVersion))
        #expect(
            EngineIORequest.classify(
                method: .get, query: "EIO=3&transport=polling", isWebSocketUpgrade: false, allowEIO3: true)
                == .success(.handshake(.polling)))
        #expect(
            EngineIORequest.classify(
                method: .get, query: "EIO=2&transport=polling", isWebSocketUpgrade: false, allowEIO3: true)
                == .failure(.unsupportedProtocolVersion))
    }
}
