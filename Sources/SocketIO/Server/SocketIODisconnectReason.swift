/// Why a socket left a namespace, as Socket.IO names it.
public struct SocketIODisconnectReason: Hashable, Sendable, CustomStringConvertible {
    /// The reason text.
    public let rawValue: String

    /// A reason from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The server disconnected the socket (`socket.disconnect()`).
    public static let serverNamespaceDisconnect = SocketIODisconnectReason("server namespace disconnect")
    /// The client sent a DISCONNECT packet.
    public static let clientNamespaceDisconnect = SocketIODisconnectReason("client namespace disconnect")
    /// The underlying connection closed.
    public static let transportClose = SocketIODisconnectReason("transport close")
    /// The underlying connection failed.
    public static let transportError = SocketIODisconnectReason("transport error")
    /// The client stopped answering pings.
    public static let pingTimeout = SocketIODisconnectReason("ping timeout")
    /// The client sent a packet that could not be decoded or was not allowed in its state.
    public static let parseError = SocketIODisconnectReason("parse error")
    /// The server closed the whole connection.
    public static let forcedClose = SocketIODisconnectReason("forced close")
    /// The client sent a packet its state does not allow (an event, ack or DISCONNECT for a
    /// namespace it has not joined, a CONNECT to one it has, a CONNECT_ERROR): socket.io's
    /// "invalid state", which closes the whole connection.
    public static let forcedServerClose = SocketIODisconnectReason("forced server close")

    /// The reason sockets report when their Engine.IO session closed for `reason`.
    public init(_ reason: EngineIOCloseReason) { self.rawValue = reason.rawValue }

    /// The reason text.
    public var description: String { rawValue }
}
