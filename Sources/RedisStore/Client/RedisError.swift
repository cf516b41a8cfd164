/// What went wrong talking to Redis, with a reason a person can act on.
///
/// Compare `kind` to decide what to do (`.server` is the server refusing a command; the
/// connection kinds mean Redis is unreachable and the HTTP layer answers 503); `reason` says
/// what failed in words, e.g. `"command timed out after 5s; connection closed"`.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of a `RedisError`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case server, connectionLost, connectionFailed, connectTimeout, commandTimeout
            case unavailable, protocolViolation, unexpectedReply, conflict, invalidURL, closed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The server answered with an error reply (`-ERR ...`, `-NOAUTH ...`, `-WRONGTYPE ...`).
        public static let server = Kind(.server)
        /// The connection closed while the command was in flight or queued.
        public static let connectionLost = Kind(.connectionLost)
        /// Opening a connection failed (refused, unreachable, DNS).
        public static let connectionFailed = Kind(.connectionFailed)
        /// Opening a connection (TCP plus AUTH/SELECT/PING) took longer than the connect timeout.
        public static let connectTimeout = Kind(.connectTimeout)
        /// No reply arrived within the command timeout; the connection was closed.
        public static let commandTimeout = Kind(.commandTimeout)
        /// Redis is down and the pool is waiting to reconnect: commands fail immediately.
        public static let unavailable = Kind(.unavailable)
        /// The bytes from the server are not valid RESP.
        public static let protocolViolation = Kind(.protocolViolation)
        /// The server replied with a type the caller did not expect.
        public static let unexpectedReply = Kind(.unexpectedReply)
        /// A compare-and-set lost to concurrent writers more often than allowed.
        public static let conflict = Kind(.conflict)
        /// A `redis://` URL could not be understood.
        public static let invalidURL = Kind(.invalidURL)
        /// The pool or connection was closed by its owner.
        public static let closed = Kind(.closed)

        /// The kind's name, e.g. `commandTimeout`.
        public var description: String { base.rawValue }
    }

    /// The category, for programmatic decisions.
    public let kind: Kind
    /// What failed, in words.
    public let reason: String

    /// Creates an error of `kind` with `reason`.
    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    /// `"Redis <kind>: <reason>"`.
    public var description: String { "Redis \(kind): \(reason)" }

    /// Whether Redis could not be reached or did not answer (the HTTP layer's 503 cases).
    public var isUnavailable: Bool {
        switch kind {
        case .connectionLost, .connectionFailed, .connectTimeout, .commandTimeout, .unavailable, .closed: return true
        default: return false
        }
    }

    /// The server's error reply, e.g. `ERR unknown command 'FOO'`.
    public static func server(_ message: String) -> RedisError { .init(.server, message) }
    /// Malformed protocol bytes, with the hiredis reader's message.
    public static func protocolViolation(_ message: String) -> RedisError {
        .init(.protocolViolation, "protocol error: \(message)")
    }
    /// A reply of an unexpected type for `command`.
    public static func unexpectedReply(_ reply: RESPValue, to command: String) -> RedisError {
        .init(.unexpectedReply, "unexpected reply to \(command): \(reply)")
    }
    /// The connection went away before the reply arrived.
    public static let connectionLost = RedisError(
        .connectionLost, "connection to Redis lost before a reply arrived; the command may or may not have run")
}
