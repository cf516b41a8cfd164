import JavaScriptFormats
import NIOCore
import SesiorTesting
import Testing

@testable import SocketIO

@Suite("Socket.IO packet codec")
struct SocketIOPacketTests {
    /// protocol-facts §5 and the socket.io-protocol README examples.
    static let examples: [(String, SocketIOPacket)] = [
        ("0", SocketIOPacket(type: .connect)),
        (#"0/admin,{"token":"123"}"#, SocketIOPacket(type: .connect, namespace: "/admin", data: ["token": "123"])),
        (#"0{"sid":"oSO0OpakMV_3jnilAAAA"}"#, SocketIOPacket(type: .connect, data: ["sid": "oSO0OpakMV_3jnilAAAA"])),
        (#"4{"message":"Not authorized"}"#, SocketIOPacket(type: .connectError, data: ["message": "Not authorized"])),
        (
            #"4{"message":"Not authorized","data":{"retry":false}}"#,
            SocketIOPacket(type: .connectError, data: ["message": "Not authorized", "data": ["retry": false]])
        ),
        (
            #"4/nope,{"message":"Invalid namespace"}"#,
            SocketIOPacket(type: .connectError, namespace: "/nope", data: ["message": "Invalid namespace"])
        ),
        (#"212["foo"]"#, .event("foo", [], id: 12)),
        (#"3/admin,13["bar"]"#, .ack(13, ["bar"], namespace: "/admin")),
        ("1/admin,", SocketIOPacket(type: .disconnect, namespace: "/admin")),
        ("1", SocketIOPacket(type: .disconnect)),
        (#"2["hello",1]"#, .event("hello", [1])),
        (#"2/admin,456["project:delete",123]"#, .event("project:delete", [123], namespace: "/admin", id: 456)),
        (#"3/admin,456[]"#, .ack(456, [], namespace: "/admin")),
    ]

    @Test("examples encode", arguments: examples)
    func encodesExample(text: String, packet: SocketIOPacket) {
        let encoded = SocketIOPacketEncoder.encode(packet)
        #expect(encoded.text == text)
        #expect(encoded.attachments.isEmpty)
    }

    @Test("examples decode", arguments: examples)
    func decodesExample(text: String, packet: SocketIOPacket) throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.decode(text: text) == packet)
    }

    @Test func binaryEventIsDeconstructedIntoPlaceholders() {
        let bytes = ByteBuffer(bytes: [1, 2, 3])
        let encoded = SocketIOPacketEncoder.encode(.event("baz", [.attachment(bytes)]))
        #expect(encoded.text == #"51-["baz",{"_placeholder":true,"num":0}]"#)
        #expect(encoded.attachments == [bytes])
        #expect(encoded.engineIOPackets == [EngineIOPacket(.message, encoded.text), .binaryMessage(bytes)])
    }

    @Test func binaryAckWithNestedBinariesNumbersThemDepthFirst() {
        let first = ByteBuffer(bytes: [1])
        let second = ByteBuffer(bytes: [2])
        let packet = SocketIOPacket.ack(456, [["a": .attachment(first), "b": [.attachment(second)]]], namespace: "/admin")
        let encoded = SocketIOPacketEncoder.encode(packet)
        #expect(
            encoded.text == #"62-/admin,456[{"a":{"_placeholder":true,"num":0},"b":[{"_placeholder":true,"num":1}]}]"#)
        #expect(encoded.attachments == [first, second])
    }

    @Test func binaryEventIsReassembledFromSeveralMessages() throws {
        var decoder = SocketIOPacketDecoder()
        let first = ByteBuffer(bytes: [0xFF, 0])
        let second = ByteBuffer(bytes: [])
        #expect(
            try decoder.decode(
                text: #"52-/admin,7["hello",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}]"#) == nil)
        #expect(decoder.isReconstructing)
        #expect(try decoder.decode(binary: first) == nil)
        let packet = try decoder.decode(binary: second)
        #expect(
            packet
                == SocketIOPacket(
                    type: .binaryEvent, namespace: "/admin", id: 7, data: ["hello", .attachment(second), .attachment(first)]))
        #expect(!decoder.isReconstructing)
        #expect(try decoder.decode(text: #"2["next"]"#) == .event("next", []))
    }

    @Test func binaryPacketWithoutAttachmentsIsYieldedAtOnce() throws {
        var decoder = SocketIOPacketDecoder()
        #expect(try decoder.decode(text: #"50-["x"]"#) == SocketIOPacket(type: .binaryEvent, data: ["x"]))
    }

    @Test func binaryOutsideAPacketIsRefused() {
        var decoder = SocketIOPacketDecoder()
        #expect(throws: SocketIOProtocolError.unexpectedBinary) { try decoder.decode(binary: ByteBuffer(bytes: [1])) }
    }

    @Test func textWhileAttachmentsAreExpectedIsRefused() throws {
        var decoder = SocketIOPacketDecoder()
        _ = try decoder.decode(text: #"51-["a",{"_placeholder":true,"num":0}]"#)
        #expect(throws: SocketIOProtocolError.unexpectedText) { try decoder.decode(text: #"2["b"]"#) }
    }

    static let malformed: [(String, SocketIOProtocolError)] = [
        ("", .emptyPacket),
        ("7", .unknownPacketType),
        ("a", .unknownPacketType),
        (" 2[\"a\"]", .unknownPacketType),
        ("5", .illegalAttachments),
        ("5-[\"a\"]", .illegalAttachments),
        ("51[\"a\"]", .illegalAttachments),
        ("5a-[\"a\"]", .illegalAttachments),
        ("51-[\"a\"]", .illegalAttachments),
        (#"51-["a",{"_placeholder":true,"num":1}]"#, .illegalAttachments),
        (#"51-["a",{"_placeholder":true,"num":"0"}]"#, .illegalAttachments),
        (#"51-["a",{"_placeholder":true,"num":0.5}]"#, .illegalAttachments),
        (#"52-["a",{"_placeholder":true,"num":0}]"#, .illegalAttachments),
        ("5999-[\"a\"]", .tooManyAttachments),
        ("51234567890-[\"a\"]", .tooManyAttachments),
        ("2[", .invalidJSON),
        ("2/admin,abc", .invalidJSON),
        ("2[\"a\"]x", .invalidJSON),
        ("2{}", .invalidPayload),
        ("2[]", .invalidPayload),
        ("2[1]", .invalidPayload),
        ("2", .invalidPayload),
        ("2\"a\"", .invalidPayload),
        ("2[\"connect\"]", .reservedEventName),
        ("2[\"disconnecting\"]", .reservedEventName),
        ("2/admin,[\"newListener\"]", .reservedEventName),
        ("0[]", .invalidPayload),
        ("0\"token\"", .invalidPayload),
        ("0null", .invalidPayload),
        ("1{}", .invalidPayload),
        ("3[]", .invalidAckID),
        ("3/admin,[\"a\"]", .invalidAckID),
        ("31{}", .invalidPayload),
        ("31", .invalidPayload),
        ("299999999999999999999[\"a\"]", .invalidAckID),
        ("29007199254740992[\"a\"]", .invalidAckID),
        ("4", .invalidPayload),
        ("4[1]", .invalidPayload),
    ]

    @Test("malformed packets are refused with a reason", arguments: malformed)
    func refusesMalformed(text: String, expected: SocketIOProtocolError) {
        var decoder = SocketIOPacketDecoder()
        #expect(throws: expected) { try decoder.decode(text: text) }
    }

    /// The decoder tells reserved names by their length first: it must agree with
    /// `reservedEventNames` for each of them and for names of the same lengths.
    @Test func reservedNamesAreToldByLengthThenText() {
        for name in SocketIOPacketDecoder.reservedEventNames {
            #expect(SocketIOPacketDecoder.isReservedEventName(name), "\(name)")
            #expect(!SocketIOPacketDecoder.isReservedEventName(String(name.dropLast()) + "X"), "\(name)")
        }
        for name in ["", "chat", "user:rename", "Connect", "connect ", "disconnecte", "removelistener"] {
            #expect(!SocketIOPacketDecoder.isReservedEventName(name), "\(name)")
        }
    }

    @Test func randomPacketsRoundTrip() throws {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<1000 {
            let packet = Self.randomPacket(using: &generator)
            let encoded = SocketIOPacketEncoder.encode(packet)
            var decoder = SocketIOPacketDecoder()
            var decoded = try decoder.decode(text: encoded.text)
            for (index, attachment) in encoded.attachments.enumerated() {
                #expect(decoded == nil)
                decoded = try decoder.decode(binary: attachment)
                if index < encoded.attachments.count - 1 { #expect(decoder.isReconstructing) }
            }
            var expected = packet
            if !encoded.attachments.isEmpty {
                expected.type = packet.type == .event ? .binaryEvent : .binaryAck
            }
            #expect(decoded == expected, "\(encoded.text)")
        }
    }

    static func randomPacket(using generator: inout SeededGenerator) -> SocketIOPacket {
        let namespace = ["/", "/admin", "/a-b/c"].randomElement(using: &generator)!
        let id: UInt64? =
            Bool.random(using: &generator) ? UInt64.random(in: 0...9_007_199_254_740_991, using: &generator) : nil
        let arguments = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
            RandomValues.json(depth: 2, binary: true, using: &generator)
        }
        switch Int.random(in: 0..<5, using: &generator) {
        case 0:
            var auth = SocketIOObject()
            auth["token"] = RandomValues.json(depth: 1, using: &generator)
            return SocketIOPacket(
                type: .connect, namespace: namespace, data: Bool.random(using: &generator) ? .object(auth) : nil)
        case 1:
            return SocketIOPacket(type: .disconnect, namespace: namespace)
        case 2:
            return .event("e" + RandomJSON.string(using: &generator), arguments, namespace: namespace, id: id)
        case 3:
            return .ack(id ?? 0, arguments, namespace: namespace)
        default:
            return SocketIOPacket(
                type: .connectError, namespace: namespace,
                data: [
                    "message": .string(RandomJSON.string(using: &generator)),
                    "data": RandomValues.json(depth: 1, using: &generator),
                ])
        }
    }
}
