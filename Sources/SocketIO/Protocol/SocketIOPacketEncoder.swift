import NIOCore

/// A Socket.IO packet ready for Engine.IO: the text of the first message and, for binary
/// packets, the attachments to send after it, one binary message each.
///
/// Encoding once and handing the same value to many sockets is how broadcasts stay cheap.
public struct SocketIOEncodedPacket: Hashable, Sendable {
    /// The text of the Engine.IO message packet (without the Engine.IO `4` prefix).
    public let text: String
    /// The binary attachments, in placeholder order.
    public let attachments: [ByteBuffer]
    /// The WebSocket messages that carry this packet (`4` + text, then one binary message per
    /// attachment), built once so a broadcast does not rebuild them per socket.
    public let frames: [EngineIOFrame]

    init(text: String, attachments: [ByteBuffer]) {
        self.text = text
        self.attachments = attachments
        var frames = [EngineIOFrame.text("4" + text)]
        for attachment in attachments { frames.append(.binary(attachment)) }
        self.frames = frames
    }

    /// The Engine.IO message packets that carry this packet, in order.
    public var engineIOPackets: [EngineIOPacket] {
        var packets = [EngineIOPacket(.message, text)]
        for attachment in attachments { packets.append(.binaryMessage(attachment)) }
        return packets
    }
}

/// Encodes Socket.IO packets. EVENT and ACK packets whose data holds binary values become
/// BINARY_EVENT / BINARY_ACK: each binary value is replaced by `{"_placeholder":true,"num":N}`
/// (depth-first, in array and key order) and moved to the attachment list.
public enum SocketIOPacketEncoder {
    /// Encodes one packet.
    public static func encode(_ packet: SocketIOPacket) -> SocketIOEncodedPacket {
        var type = packet.type
        var attachments: [ByteBuffer] = []
        var json = JSONWriter(capacity: 0)
        if let data = packet.data {
            json = JSONWriter(capacity: 64)
            write(data, into: &json, attachments: &attachments)
        }
        if !attachments.isEmpty {
            if type == .event { type = .binaryEvent } else if type == .ack { type = .binaryAck }
        }
        var header = JSONWriter(capacity: json.bytes.count + packet.namespace.utf8.count + 24)
        header.append(UInt8(ascii: "0") + type.rawValue)
        if type.isBinary {
            header.writeInteger(Int64(attachments.count))
            header.append(UInt8(ascii: "-"))
        }
        if packet.namespace != "/" {
            header.append(packet.namespace)
            header.append(UInt8(ascii: ","))
        }
        if let id = packet.id { header.writeUnsigned(id) }
        var bytes = header.bytes
        bytes.append(contentsOf: json.bytes)
        return SocketIOEncodedPacket(text: String(decoding: bytes, as: UTF8.self), attachments: attachments)
    }

    private static func write(_ value: SocketIOValue, into json: inout JSONWriter, attachments: inout [ByteBuffer]) {
        switch value {
        case .binary(let bytes):
            json.append(#"{"_placeholder":true,"num":"#)
            json.writeInteger(Int64(attachments.count))
            json.append(UInt8(ascii: "}"))
            attachments.append(bytes)
        case .array(let values) where value.containsBinary:
            json.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                write(element, into: &json, attachments: &attachments)
            }
            json.append(UInt8(ascii: "]"))
        case .object(let object) where value.containsBinary:
            json.append(UInt8(ascii: "{"))
            for index in object.indices {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                json.writeString(object[index].key)
                json.append(UInt8(ascii: ":"))
                write(object[index].value, into: &json, attachments: &attachments)
            }
            json.append(UInt8(ascii: "}"))
        default:
            json.write(value)
        }
    }
}

extension JSONWriter {
    mutating func writeUnsigned(_ value: UInt64) {
        if value <= UInt64(Int64.max) { return writeInteger(Int64(value)) }
        append(String(value))
    }
}
