import JavaScriptFormats
import NIOCore

/// The Socket.IO v5 packet types, with their wire digit.
public enum SocketIOPacketType: UInt8, Hashable, Sendable, CaseIterable {
    /// `0`: connect to a namespace (client: optional auth object; server: `{"sid":…}`).
    case connect = 0
    /// `1`: leave a namespace.
    case disconnect = 1
    /// `2`: an event: `["name", args…]`.
    case event = 2
    /// `3`: an acknowledgement: `[args…]`.
    case ack = 3
    /// `4`: connection refused: `{"message":…,"data":…}`.
    case connectError = 4
    /// `5`: an event with binary attachments.
    case binaryEvent = 5
    /// `6`: an acknowledgement with binary attachments.
    case binaryAck = 6

    /// True for the two types followed by binary attachments.
    public var isBinary: Bool { self == .binaryEvent || self == .binaryAck }
}

/// One Socket.IO packet: `<type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]`.
///
/// Binary data lives inside `data` as `.attachment` values. The encoder turns EVENT/ACK packets
/// holding binary into BINARY_EVENT/BINARY_ACK with placeholders; the decoder reassembles them,
/// so a decoded packet always carries its binary values in place.
public struct SocketIOPacket: Hashable, Sendable {
    /// The packet type.
    public var type: SocketIOPacketType
    /// The namespace, `/` by default.
    public var namespace: String
    /// The acknowledgement id, if any.
    public var id: UInt64?
    /// The JSON payload, if any.
    public var data: SocketIOValue?

    /// A packet with all its fields.
    public init(type: SocketIOPacketType, namespace: String = "/", id: UInt64? = nil, data: SocketIOValue? = nil) {
        self.type = type
        self.namespace = namespace
        self.id = id
        self.data = data
    }

    /// An EVENT packet: `[event, args…]`, with an ack id when the sender expects an answer.
    public static func event(_ name: String, _ arguments: [SocketIOValue], namespace: String = "/", id: UInt64? = nil)
        -> SocketIOPacket
    {
        var payload: [SocketIOValue] = [.string(name)]
        payload.append(contentsOf: arguments)
        return SocketIOPacket(type: .event, namespace: namespace, id: id, data: .array(payload))
    }

    /// An ACK packet answering `id` with `arguments`.
    public static func ack(_ id: UInt64, _ arguments: [SocketIOValue], namespace: String = "/") -> SocketIOPacket {
        SocketIOPacket(type: .ack, namespace: namespace, id: id, data: .array(arguments))
    }

    /// The event name of an EVENT/BINARY_EVENT packet.
    public var eventName: String? {
        guard type == .event || type == .binaryEvent else { return nil }
        return data?.arrayValue?.first?.stringValue
    }

    /// The arguments: after the event name for events, the whole array for acks.
    public var arguments: [SocketIOValue] {
        guard let values = data?.arrayValue else { return [] }
        switch type {
        case .event, .binaryEvent: return Array(values.dropFirst())
        case .ack, .binaryAck: return values
        case .connect, .disconnect, .connectError: return []
        }
    }
}
