/// Why a Socket.IO packet was refused. Any of these closes the connection with `"parse error"`.
public struct SocketIOProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: String, Hashable, Sendable {
        case emptyPacket = "empty packet"
        case unknownPacketType = "unknown packet type"
        case illegalAttachments = "illegal attachments"
        case tooManyAttachments = "too many attachments"
        case invalidAckID = "invalid ack id"
        case invalidJSON = "invalid JSON payload"
        case invalidPayload = "invalid payload"
        case reservedEventName = "reserved event name"
        case unexpectedBinary = "got binary data when not reconstructing a packet"
        case unexpectedText = "got plaintext data when reconstructing a packet"
    }

    private let kind: Kind

    /// A short human-readable reason.
    public var reason: String { kind.rawValue }
    /// The reason.
    public var description: String { "Socket.IO: \(reason)" }

    /// An empty text message.
    public static let emptyPacket = SocketIOProtocolError(kind: .emptyPacket)
    /// A first character that is not `0`–`6`.
    public static let unknownPacketType = SocketIOProtocolError(kind: .unknownPacketType)
    /// A malformed attachment count, or a placeholder that names no attachment.
    public static let illegalAttachments = SocketIOProtocolError(kind: .illegalAttachments)
    /// More attachments announced than the decoder accepts.
    public static let tooManyAttachments = SocketIOProtocolError(kind: .tooManyAttachments)
    /// An ack id that overflows, or an ACK without an id.
    public static let invalidAckID = SocketIOProtocolError(kind: .invalidAckID)
    /// A payload that is not JSON.
    public static let invalidJSON = SocketIOProtocolError(kind: .invalidJSON)
    /// A payload of the wrong shape for the packet type.
    public static let invalidPayload = SocketIOProtocolError(kind: .invalidPayload)
    /// An event named like one of Socket.IO's own (`connect`, `disconnect`, …).
    public static let reservedEventName = SocketIOProtocolError(kind: .reservedEventName)
    /// A binary message with no BINARY_EVENT/BINARY_ACK waiting for it.
    public static let unexpectedBinary = SocketIOProtocolError(kind: .unexpectedBinary)
    /// A text message while attachments are still expected.
    public static let unexpectedText = SocketIOProtocolError(kind: .unexpectedText)
}
