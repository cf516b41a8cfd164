import NIOCore

/// One WebSocket message of the Engine.IO WebSocket transport.
///
/// A text frame holds one packet as its type digit followed by its text; a binary frame is a
/// message packet whose raw bytes are the whole frame (no type byte in v4).
public enum EngineIOFrame: Hashable, Sendable {
    /// A text WebSocket message.
    case text(String)
    /// A binary WebSocket message.
    case binary(ByteBuffer)

    /// Encodes one packet as the WebSocket message that carries it.
    public init(_ packet: EngineIOPacket) {
        switch packet.data {
        case .binary(let bytes):
            self = .binary(bytes)
        case .text(let text):
            var string = String()
            string.reserveCapacity(text.utf8.count + 1)
            string.unicodeScalars.append(Unicode.Scalar(packet.type.wireByte))
            string += text
            self = .text(string)
        }
    }

    /// Decodes the packet this WebSocket message carries.
    public func packet() throws(EngineIOError) -> EngineIOPacket {
        switch self {
        case .binary(let bytes):
            return .binaryMessage(bytes)
        case .text(let text):
            return try EngineIOPacket(text: text)
        }
    }
}

extension EngineIOPacket {
    /// Decodes a text-encoded packet (type digit + text), as found in text frames and polling payloads.
    public init(text: Substring) throws(EngineIOError) {
        guard let first = text.utf8.first else { throw .emptyPacket }
        guard first >= UInt8(ascii: "0"), let type = EngineIOPacketType(rawValue: first &- UInt8(ascii: "0")) else {
            throw .unknownPacketType
        }
        // The type is one ASCII byte: drop that scalar, not the first Character, which would also
        // take a combining mark that follows the digit ("4\u{301}…") out of the data.
        self.init(type: type, data: .text(String(text.unicodeScalars.dropFirst())))
    }

    /// Decodes a text-encoded packet (type digit + text).
    public init(text: String) throws(EngineIOError) {
        try self.init(text: text[...])
    }
}
