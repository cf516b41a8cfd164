import JavaScriptFormats
import NIOConcurrencyHelpers

/// The answer callback of a client event that asked for an acknowledgement. Only the first
/// call is sent (copies share that one answer).
public struct SocketIOAck: Sendable {
    private let send: @Sendable ([SocketIOValue]) -> Void

    init(send: @escaping @Sendable ([SocketIOValue]) -> Void) {
        let answered = NIOLockedValueBox(false)
        self.send = { arguments in
            let first = answered.withLockedValue { answered in
                defer { answered = true }
                return !answered
            }
            if first { send(arguments) }
        }
    }

    /// Answers the client with these arguments.
    public func callAsFunction(_ arguments: SocketIOValue...) { send(arguments) }

    /// Answers the client with these arguments.
    public func callAsFunction(arguments: [SocketIOValue]) { send(arguments) }
}

/// Why a server emit waiting for an acknowledgement failed.
public struct SocketIOAckError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What happened.
    public let reason: String

    /// No answer within the timeout.
    public static let timedOut = SocketIOAckError(reason: "operation has timed out")
    /// The socket disconnected before answering (or was not connected).
    public static let disconnected = SocketIOAckError(reason: "socket has been disconnected")

    /// The reason.
    public var description: String { reason }
}
