import JavaScriptFormats
import NIOCore

/// Decodes the Socket.IO packets of one connection, message by message.
///
/// Feed every Engine.IO message in order: `decode(text:)` for text messages, `decode(binary:)`
/// for binary ones. A BINARY_EVENT/BINARY_ACK header makes the decoder collect that many binary
/// messages before it yields the packet with its placeholders replaced. Every packet is validated
/// (type, attachments, namespace, ack id, JSON, payload shape); a thrown error means the
/// connection must close with `"parse error"`, and the decoder should not be used afterwards.
public struct SocketIOPacketDecoder: Sendable {
    /// Event names the protocol reserves; a client may not emit them.
    public static let reservedEventNames: Set<String> = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    /// Most attachments one packet may announce (bounds memory held for a half-received packet).
    public var maximumAttachments: Int

    private var pending: Reconstruction?

    /// A binary packet waiting for its attachments; boxed, so that an idle decoder (one per
    /// connection) is a pointer wide.
    private indirect enum Reconstruction: Sendable {
        case collecting(packet: SocketIOPacket, expected: Int, buffers: [ByteBuffer])
    }

    /// A decoder accepting at most `maximumAttachments` attachments per packet (default 256).
    public init(maximumAttachments: Int = 256) {
        self.maximumAttachments = maximumAttachments
    }

    /// True while attachments of a binary packet are still expected.
    public var isReconstructing: Bool { pending != nil }

    /// Decodes a text message; `nil` when it starts a binary packet still waiting for attachments.
    public mutating func decode(text: String) throws(SocketIOProtocolError) -> SocketIOPacket? {
        guard pending == nil else { throw .unexpectedText }
        var text = text
        let (packet, attachments) = try text.withUTF8Bytes {
            (bytes) throws(SocketIOProtocolError) -> (SocketIOPacket, Int) in
            try Self.decodeHeaderAndPayload(bytes, maximumAttachments: maximumAttachments)
        }
        if packet.type.isBinary && attachments > 0 {
            pending = .collecting(packet: packet, expected: attachments, buffers: [])
            return nil
        }
        if packet.type.isBinary { return try Self.reconstruct(packet, buffers: []) }
        return packet
    }

    /// Decodes a binary message (an attachment); yields the packet once its last attachment arrived.
    public mutating func decode(binary: ByteBuffer) throws(SocketIOProtocolError) -> SocketIOPacket? {
        guard case .collecting(let packet, let expected, var buffers)? = pending else { throw .unexpectedBinary }
        pending = nil  // the box lets go of `buffers`, so appending does not copy them
        buffers.append(binary)
        guard buffers.count == expected else {
            pending = .collecting(packet: packet, expected: expected, buffers: buffers)
            return nil
        }
        return try Self.reconstruct(packet, buffers: buffers)
    }

    /// Decodes one Engine.IO message (text or binary).
    public mutating func decode(_ data: EngineIOData) throws(SocketIOProtocolError) -> SocketIOPacket? {
        switch data {
        case .text(let text): return try decode(text: text)
        case .binary(let bytes): return try decode(binary: bytes)
        }
    }

    // MARK: - Header

    static func decodeHeaderAndPayload(
        _ bytes: UnsafeRawBufferPointer,
        maximumAttachments: Int
    ) throws(SocketIOProtocolError) -> (SocketIOPacket, Int) {
        guard let first = bytes.first else { throw .emptyPacket }
        guard first >= UInt8(ascii: "0"), let type = SocketIOPacketType(rawValue: first &- UInt8(ascii: "0")) else {
            throw .unknownPacketType
        }
        var index = 1
        var attachments = 0
        if type.isBinary {
            let start = index
            while index < bytes.count, isDigit(bytes[index]) {
                attachments = attachments &* 10 &+ Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                guard index - start <= 9 else { throw .tooManyAttachments }
            }
            guard index > start, index < bytes.count, bytes[index] == UInt8(ascii: "-") else {
                throw .illegalAttachments
            }
            guard attachments <= maximumAttachments else { throw .tooManyAttachments }
            index += 1
        }
        var namespace = "/"
        if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ",") { index += 1 }
            namespace = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if index < bytes.count { index += 1 }
        }
        var id: UInt64?
        if index < bytes.count, isDigit(bytes[index]) {
            var value: UInt64 = 0
            while index < bytes.count, isDigit(bytes[index]) {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2, sum <= 9_007_199_254_740_991 else { throw .invalidAckID }
                value = sum
                index += 1
            }
            id = value
        }
        var data: SocketIOValue?
        if index < bytes.count {
            do {
                data = try SocketIOValue(parsing: UnsafeRawBufferPointer(rebasing: bytes[index...]))
            } catch {
                throw .invalidJSON
            }
        }
        let packet = SocketIOPacket(type: type, namespace: namespace, id: id, data: data)
        try validate(packet)
        if type.isBinary, let data, try placeholderCount(in: data, attachments: attachments) != attachments {
            throw .illegalAttachments
        }
        return (packet, attachments)
    }

    /// Whether `name` is one of ``reservedEventNames``, told by its length first: every event
    /// pays this check, and most names match no reserved length, so they cost no string
    /// comparison (hashing the name for a `Set` lookup costs more than the rest of the header).
    static func isReservedEventName(_ name: String) -> Bool {
        switch name.utf8.count {
        case 7: name == "connect"
        case 10: name == "disconnect"
        case 11: name == "newListener"
        case 13: name == "connect_error" || name == "disconnecting"
        case 14: name == "removeListener"
        default: false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func validate(_ packet: SocketIOPacket) throws(SocketIOProtocolError) {
        switch packet.type {
        case .connect:
            if let data = packet.data, data.objectValue == nil { throw .invalidPayload }
        case .disconnect:
            if packet.data != nil { throw .invalidPayload }
        case .connectError:
            switch packet.data {
            case .string?, .object?: break
            default: throw .invalidPayload
            }
        case .event, .binaryEvent:
            guard let values = packet.data?.arrayValue, let name = values.first?.stringValue else {
                throw .invalidPayload
            }
            if isReservedEventName(name) { throw .reservedEventName }
        case .ack, .binaryAck:
            guard packet.data?.arrayValue != nil else { throw .invalidPayload }
            guard packet.id != nil else { throw .invalidAckID }
        }
    }

    // MARK: - Attachments

    /// Counts the placeholders in `value`, refusing any whose `num` names no attachment.
    private static func placeholderCount(in value: SocketIOValue, attachments: Int) throws(SocketIOProtocolError)
        -> Int
    {
        switch value {
        case .array(let values):
            var count = 0
            for element in values { count += try placeholderCount(in: element, attachments: attachments) }
            return count
        case .object(let object):
            if object["_placeholder"] == .bool(true) {
                guard case .number(let number)? = object["num"], number >= 0, number < Double(attachments),
                    number == number.rounded(.towardZero)
                else { throw .illegalAttachments }
                return 1
            }
            var count = 0
            for entry in object { count += try placeholderCount(in: entry.value, attachments: attachments) }
            return count
        case .null, .bool, .number, .string, .attachment:
            return 0
        }
    }

    static func reconstruct(_ packet: SocketIOPacket, buffers: [ByteBuffer]) throws(SocketIOProtocolError)
        -> SocketIOPacket
    {
        var packet = packet
        if let data = packet.data { packet.data = try replacePlaceholders(in: data, buffers: buffers) }
        return packet
    }

    private static func replacePlaceholders(in value: SocketIOValue, buffers: [ByteBuffer])
        throws(SocketIOProtocolError)
        -> SocketIOValue
    {
        switch value {
        case .array(var values):
            for index in values.indices {
                values[index] = try replacePlaceholders(in: values[index], buffers: buffers)
            }
            return .array(values)
        case .object(var object):
            if object["_placeholder"] == .bool(true) {
                guard case .number(let number)? = object["num"], number >= 0, number < Double(buffers.count),
                    number == number.rounded(.towardZero)
                else { throw .illegalAttachments }
                return .attachment(buffers[Int(number)])
            }
            for index in object.indices {
                object.setValue(try replacePlaceholders(in: object[index].value, buffers: buffers), at: index)
            }
            return .object(object)
        case .null, .bool, .number, .string, .attachment:
            return value
        }
    }
}
