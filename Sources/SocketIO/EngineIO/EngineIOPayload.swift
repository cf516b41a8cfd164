import NIOCore

/// The HTTP long-polling payload: packets joined by the record separator `\x1e`, binary message
/// packets written as `b` followed by their base64 text.
public enum EngineIOPayload {
    /// The record separator between packets.
    public static let separator: UInt8 = 0x1E

    /// Encodes packets into one polling response body.
    public static func encode(_ packets: [EngineIOPacket]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(packets.reduce(0) { $0 + $1.encodedSize + 1 })
        for (index, packet) in packets.enumerated() {
            if index > 0 { output.append(separator) }
            switch packet.data {
            case .text(let text):
                output.append(packet.type.wireByte)
                output.append(contentsOf: text.utf8)
            case .binary(let bytes):
                output.append(UInt8(ascii: "b"))
                bytes.appendBase64(to: &output)
            }
        }
        return output
    }

    /// Encodes packets into one polling response body, as a string.
    public static func encodeString(_ packets: [EngineIOPacket]) -> String {
        String(decoding: encode(packets), as: UTF8.self)
    }

    /// Decodes a POSTed polling body. Any malformed packet fails the whole payload (the session
    /// then closes with `"parse error"`); an empty body is malformed.
    public static func decode(_ body: ByteBuffer) throws(EngineIOError) -> [EngineIOPacket] {
        try body.withReadableBytes { (bytes) throws(EngineIOError) -> [EngineIOPacket] in
            try decode(bytes)
        }
    }

    /// Decodes a POSTed polling body held in a string.
    public static func decode(_ body: String) throws(EngineIOError) -> [EngineIOPacket] {
        var body = body
        return try body.withUTF8Bytes { (bytes) throws(EngineIOError) -> [EngineIOPacket] in
            try decode(bytes)
        }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws(EngineIOError) -> [EngineIOPacket] {
        var packets: [EngineIOPacket] = []
        var start = 0
        while true {
            var end = start
            while end < bytes.count, bytes[end] != separator { end += 1 }
            packets.append(try decodePacket(UnsafeRawBufferPointer(rebasing: bytes[start..<end])))
            if end == bytes.count { return packets }
            start = end + 1
        }
    }

    private static func decodePacket(_ bytes: UnsafeRawBufferPointer) throws(EngineIOError) -> EngineIOPacket {
        guard let first = bytes.first else { throw .emptyPacket }
        if first == UInt8(ascii: "b") {
            guard let binary = ByteBuffer(base64: UnsafeRawBufferPointer(rebasing: bytes.dropFirst())) else {
                throw .invalidBase64
            }
            return .binaryMessage(binary)
        }
        guard first >= UInt8(ascii: "0"), let type = EngineIOPacketType(rawValue: first &- UInt8(ascii: "0")) else {
            throw .unknownPacketType
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes.dropFirst()), as: UTF8.self)
        return EngineIOPacket(type: type, data: .text(text))
    }
}
