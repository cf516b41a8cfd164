/// Why Engine.IO input could not be decoded.
///
/// Every decode error closes the session with the reason `"parse error"`.
public struct EngineIOError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: String, Hashable, Sendable {
        case emptyPacket = "empty packet"
        case unknownPacketType = "unknown packet type"
        case invalidBase64 = "invalid base64 in binary packet"
        case payloadTooLarge = "payload larger than maxPayload"
        case malformedPayload = "malformed payload framing"
    }

    private let kind: Kind

    /// A short human-readable reason.
    public var reason: String { kind.rawValue }
    /// The reason.
    public var description: String { "Engine.IO: \(reason)" }

    /// A packet with no type byte.
    public static let emptyPacket = EngineIOError(kind: .emptyPacket)
    /// A type byte that is not `0`–`6`.
    public static let unknownPacketType = EngineIOError(kind: .unknownPacketType)
    /// A `b…` polling packet whose text is not base64.
    public static let invalidBase64 = EngineIOError(kind: .invalidBase64)
    /// An Engine.IO v3 polling payload whose length prefixes do not frame its packets.
    public static let malformedPayload = EngineIOError(kind: .malformedPayload)
    /// A polling payload or WebSocket message larger than maxPayload.
    public static let payloadTooLarge = EngineIOError(kind: .payloadTooLarge)
}
