/// Why a query across instances (`fetchSockets`, `sockets(rooms:)`, `socketRooms`) failed.
public struct SocketIOAdapterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What happened.
    public let reason: String

    /// Not every instance answered within the request timeout; nothing partial is returned.
    public static func timedOut(answered: Int, expected: Int, after timeout: Duration) -> SocketIOAdapterError {
        SocketIOAdapterError(reason: "timeout: \(answered) of \(expected) instances answered within \(timeout)")
    }

    /// The request could not be published (Redis unreachable).
    public static func unavailable(_ detail: String) -> SocketIOAdapterError {
        SocketIOAdapterError(reason: "request not sent: \(detail)")
    }

    /// The reason.
    public var description: String { "Socket.IO adapter: \(reason)" }
}
