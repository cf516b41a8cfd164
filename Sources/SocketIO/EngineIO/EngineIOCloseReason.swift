/// Why an Engine.IO session closed; the Socket.IO layer reports it as the disconnect reason.
public struct EngineIOCloseReason: Hashable, Sendable, CustomStringConvertible {
    /// The reason as the reference server names it.
    public let rawValue: String

    private init(_ rawValue: String) { self.rawValue = rawValue }

    /// The client closed the transport or sent a close packet.
    public static let transportClose = EngineIOCloseReason("transport close")
    /// The transport failed: duplicate poll, oversized payload, aborted request, socket error.
    public static let transportError = EngineIOCloseReason("transport error")
    /// No pong within pingTimeout after a ping.
    public static let pingTimeout = EngineIOCloseReason("ping timeout")
    /// The server closed the session.
    public static let forcedClose = EngineIOCloseReason("forced close")
    /// The client sent a packet that could not be decoded.
    public static let parseError = EngineIOCloseReason("parse error")

    /// The reason text.
    public var description: String { rawValue }
}
