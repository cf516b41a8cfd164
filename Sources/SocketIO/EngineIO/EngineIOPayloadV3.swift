import NIOCore

/// The Engine.IO v3 HTTP long-polling payload, in its two framings.
///
/// - Text: every packet as `<length>:<packet>`, the length counted in UTF-16 code units (as
///   JavaScript counts a string), binary message packets written `b4<base64>`; `6:4hello2:4€`
///   (`2:4€` because `€` is one code unit).
/// - Binary (XHR2, when the client reads binary and a packet is binary): every packet as a
///   marker byte (`0` text, `1` binary), its byte length as one byte per decimal digit, `0xFF`,
///   then the packet: the UTF-8 text, or the type byte `4` and the raw bytes.
///
/// Decoding picks the framing from the first byte (a text payload starts with an ASCII digit).
public enum EngineIOPayloadV3 {
    /// Encodes packets in the text framing (binary packets as `b4<base64>`).
    public static func encodeText(_ packets: [EngineIOPacket]) -> [UInt8] {
        guard !packets.isEmpty else { return Array("0:".utf8) }
        var output: [UInt8] = []
        for packet in packets {
            var encoded: [UInt8] = []
            switch packet.data {
            case .text(let text):
                encoded.append(packet.type.wireByte)
                encoded.append(contentsOf: text.utf8)
            case .binary(let bytes):
                encoded.append(UInt8(ascii: "b"))
                encoded.append(packet.type.wireByte)
                bytes.appendBase64(to: &encoded)
            }
            let units = String(decoding: encoded, as: UTF8.self).utf16.count
            output.append(contentsOf: String(units).utf8)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: encoded)
        }
        return output
    }

    /// Encodes packets in the binary framing.
    public static func encodeBinary(_ packets: [EngineIOPacket]) -> [UInt8] {
        var output: [UInt8] = []
        for packet in packets {
            var encoded: [UInt8] = []
            let marker: UInt8
            switch packet.data {
            case .text(let text):
                marker = 0
                encoded.append(packet.type.wireByte)
                encoded.append(contentsOf: text.utf8)
            case .binary(let bytes):
                marker = 1
                encoded.append(packet.type.rawValue)
                encoded.append(contentsOf: bytes.readableBytesView)
            }
            output.append(marker)
            output.append(contentsOf: String(encoded.count).utf8.map { $0 - UInt8(ascii: "0") })
            output.append(0xFF)
            output.append(contentsOf: encoded)
        }
        return output
    }

    /// True when `packets` go in the binary framing to a client that reads binary.
    public static func needsBinaryFraming(_ packets: [EngineIOPacket]) -> Bool {
        packets.contains { if case .binary = $0.data { true } else { false } }
    }

    /// Decodes a POSTed payload in either framing. Any malformed packet fails the whole payload
    /// (the session then closes with `"parse error"`); an empty body is malformed.
    public static func decode(_ body: ByteBuffer) throws(EngineIOError) -> [EngineIOPacket] {
        try decode(Array(body.readableBytesView))
    }

    /// Decodes a payload held in bytes.
    public static func decode(_ bytes: [UInt8]) throws(EngineIOError) -> [EngineIOPacket] {
        guard let first = bytes.first else { throw .emptyPacket }
        return first <= 1 ? try decodeBinary(bytes) : try decodeText(bytes)
    }

    private static func decodeText(_ bytes: [UInt8]) throws(EngineIOError) -> [EngineIOPacket] {
        let units = Array(String(decoding: bytes, as: UTF8.self).utf16)
        var packets: [EngineIOPacket] = []
        var index = 0
        while index < units.count {
            var length = 0
            let start = index
            while index < units.count, units[index] != UInt16(UInt8(ascii: ":")) {
                let unit = units[index]
                guard unit >= 0x30, unit <= 0x39, index - start < 9 else { throw .malformedPayload }
                length = length * 10 + Int(unit - 0x30)
                index += 1
            }
            guard index > start, index < units.count, units.count - (index + 1) >= length else {
                throw .malformedPayload
            }
            let message = String(decoding: units[(index + 1)..<(index + 1 + length)], as: UTF16.self)
            index += 1 + length
            if length > 0 { packets.append(try decodeTextPacket(message)) }
        }
        return packets
    }

    private static func decodeTextPacket(_ text: String) throws(EngineIOError) -> EngineIOPacket {
        guard text.utf8.first == UInt8(ascii: "b") else { return try EngineIOPacket(text: text) }
        let rest = Array(text.utf8.dropFirst())
        guard let type = rest.first, type == EngineIOPacketType.message.wireByte else { throw .unknownPacketType }
        let binary = rest.dropFirst().withUnsafeBytes { ByteBuffer(base64: $0) }
        guard let binary else { throw .invalidBase64 }
        return .binaryMessage(binary)
    }

    private static func decodeBinary(_ bytes: [UInt8]) throws(EngineIOError) -> [EngineIOPacket] {
        var packets: [EngineIOPacket] = []
        var index = 0
        while index < bytes.count {
            let isBinary = bytes[index] == 1
            guard bytes[index] <= 1 else { throw .malformedPayload }
            index += 1
            var length = 0
            let start = index
            while index < bytes.count, bytes[index] != 0xFF {
                guard bytes[index] <= 9, index - start < 9 else { throw .malformedPayload }
                length = length * 10 + Int(bytes[index])
                index += 1
            }
            guard index > start, index < bytes.count, bytes.count - (index + 1) >= length, length > 0 else {
                throw .malformedPayload
            }
            let packet = bytes[(index + 1)..<(index + 1 + length)]
            index += 1 + length
            if isBinary {
                guard packet.first == EngineIOPacketType.message.rawValue else { throw .unknownPacketType }
                packets.append(.binaryMessage(ByteBuffer(bytes: packet.dropFirst())))
            } else {
                packets.append(try decodeTextPacket(String(decoding: packet, as: UTF8.self)))
            }
        }
        return packets
    }
}
