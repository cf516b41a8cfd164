import JavaScriptFormats
import NIOCore

/// A Socket.IO packet ready for Engine.IO: the text of the first message and, for binary
/// packets, the attachments to send after it, one binary message each.
///
/// Encoding once and handing the same value to many sockets is how broadcasts stay cheap: the
/// WebSocket messages (`frames`) are built once, with the Engine.IO `4` prefix already in place.
public struct SocketIOEncodedPacket: Hashable, Sendable {
    /// The WebSocket messages that carry this packet: `4` + the packet text, then one binary
    /// message per attachment.
    public let frames: [EngineIOFrame]

    init(engineIOText: String, attachments: [ByteBuffer]) {
        var frames = [EngineIOFrame.text(engineIOText)]
        for attachment in attachments { frames.append(.binary(attachment)) }
        self.frames = frames
    }

    /// The Socket.IO packet text (without the Engine.IO `4` prefix).
    public var text: String {
        guard case .text(let text)? = frames.first else { return "" }
        return String(decoding: text.utf8.dropFirst(), as: UTF8.self)
    }

    /// The binary attachments, in placeholder order.
    public var attachments: [ByteBuffer] {
        frames.dropFirst().compactMap { frame in
            if case .binary(let bytes) = frame { return bytes }
            return nil
        }
    }

    /// The Engine.IO message packets that carry this packet, in order (for polling).
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
        var writer = JSONWriter(capacity: 64 + packet.namespace.utf8.count)
        var attachments: [ByteBuffer] = []
        writer.append(EngineIOPacketType.message.wireByte)
        writeHeader(of: packet, type: packet.type, attachmentCount: 0, into: &writer)
        let headerEnd = writer.bytes.count
        if let data = packet.data { write(data, into: &writer, attachments: &attachments) }
        guard !attachments.isEmpty else {
            return SocketIOEncodedPacket(engineIOText: String(decoding: writer.bytes, as: UTF8.self), attachments: [])
        }
        // Binary values were found: the header must announce them, so it is written again.
        let type: SocketIOPacketType =
            packet.type == .ack ? .binaryAck : packet.type == .event ? .binaryEvent : packet.type
        var header = JSONWriter(capacity: writer.bytes.count + 8)
        header.append(EngineIOPacketType.message.wireByte)
        writeHeader(of: packet, type: type, attachmentCount: attachments.count, into: &header)
        header.bytes.append(contentsOf: writer.bytes[headerEnd...])
        return SocketIOEncodedPacket(
            engineIOText: String(decoding: header.bytes, as: UTF8.self), attachments: attachments)
    }

    private static func writeHeader(
        of packet: SocketIOPacket,
        type: SocketIOPacketType,
        attachmentCount: Int,
        into writer: inout JSONWriter
    ) {
        writer.append(UInt8(ascii: "0") + type.rawValue)
        if type.isBinary {
            writer.writeInteger(Int64(attachmentCount))
            writer.append(UInt8(ascii: "-"))
        }
        if packet.namespace != "/" {
            writer.append(packet.namespace)
            writer.append(UInt8(ascii: ","))
        }
        if let id = packet.id { writer.writeInteger(id) }
    }

    private static func write(_ value: SocketIOValue, into json: inout JSONWriter, attachments: inout [ByteBuffer]) {
        json.write(value) { bytes, json in
            json.append(#"{"_placeholder":true,"num":"#)
            json.writeInteger(attachments.count)
            json.append(UInt8(ascii: "}"))
            attachments.append(bytes)
        }
    }
}
