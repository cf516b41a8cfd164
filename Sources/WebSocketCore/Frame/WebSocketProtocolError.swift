/// Why a WebSocket connection is failed, with the close code to send to the peer.
public struct WebSocketProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The close code that tells the peer what went wrong (1002, 1007 or 1009).
    public var closeCode: WebSocketCloseCode
    /// A short reason, safe to send as the close frame's reason.
    public var reason: String

    /// An error closing the connection with `closeCode` and `reason`.
    public init(closeCode: WebSocketCloseCode, reason: String) {
        self.closeCode = closeCode
        self.reason = reason
    }

    /// `<close code> <reason>`, e.g. `1002 reserved bits RSV2/RSV3 set`.
    public var description: String { "\(closeCode) \(reason)" }

    static func protocolError(_ reason: String) -> Self { .init(closeCode: .protocolError, reason: reason) }
    static func invalidPayload(_ reason: String) -> Self { .init(closeCode: .invalidPayloadData, reason: reason) }
    static func tooBig(_ reason: String) -> Self { .init(closeCode: .messageTooBig, reason: reason) }
}
