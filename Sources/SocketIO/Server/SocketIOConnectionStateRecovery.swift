import JavaScriptFormats
import NIOConcurrencyHelpers
import NIOCore

/// Settings of connection-state recovery (socket.io 4.6's `connectionStateRecovery` option).
///
/// A client that loses its connection and reconnects within `maxDisconnectionDuration` gets its
/// socket id, its rooms, its `data` and every event packet broadcast to it meanwhile, and the
/// socket's `recovered` is true. The server then answers CONNECT with `{"sid":…,"pid":…}` and
/// appends an offset (a string) as the last argument of every event it sends without an
/// acknowledgement; the client sends its `pid` and last seen `offset` in the CONNECT payload.
public struct SocketIOConnectionStateRecovery: Hashable, Sendable {
    /// How long after a disconnection the session can still be recovered (socket.io: 2 minutes).
    public var maxDisconnectionDuration: Duration
    /// Whether a recovered socket connects without running the namespace's middleware
    /// (socket.io: true).
    public var skipMiddlewares: Bool

    /// Settings with socket.io's defaults.
    public init(maxDisconnectionDuration: Duration = .seconds(120), skipMiddlewares: Bool = true) {
        self.maxDisconnectionDuration = maxDisconnectionDuration
        self.skipMiddlewares = skipMiddlewares
    }
}

/// What connection-state recovery keeps for one namespace, as socket.io's `SessionAwareAdapter`
/// does: the event packets sent without an acknowledgement during the last
/// `maxDisconnectionDuration` (each with its offset and its target rooms), and the sessions of
/// the sockets that disconnected for a reason a reconnect can follow.
///
/// Old packets and expired sessions are dropped as new ones come, so what is kept is bounded by
/// the traffic of one `maxDisconnectionDuration`.
public final class SocketIOSessionLog: Sendable {
    /// A disconnected socket's session, and on restore the packets it missed.
    public struct Session: Sendable {
        /// The socket id, given back on recovery.
        public var socketID: String
        /// The private session id the client sends back (`pid`).
        public var privateID: String
        /// The socket's rooms when it disconnected (its own id included).
        public var rooms: Set<String>
        /// The socket's `data` when it disconnected.
        public var data: SocketIOObject
        /// On restore: the event packets sent to it after the client's offset, oldest first.
        public var missedPackets: [SocketIOPacket]

        /// A session as a socket leaves it.
        public init(
            socketID: String, privateID: String, rooms: Set<String>, data: SocketIOObject,
            missedPackets: [SocketIOPacket] = []
        ) {
            self.socketID = socketID
            self.privateID = privateID
            self.rooms = rooms
            self.data = data
            self.missedPackets = missedPackets
        }
    }

    private struct LoggedPacket {
        let offset: String
        let rooms: Set<String>
        let except: Set<String>
        let packet: SocketIOPacket
        let emittedAt: NIODeadline
    }

    private struct State {
        var packets: [LoggedPacket] = []
        /// Index of the oldest packet still kept (dropped ones are removed in batches).
        var first = 0
        var sessions: [String: (session: Session, disconnectedAt: NIODeadline)] = [:]
        /// The sessions' private ids in the order they were kept, for dropping expired ones.
        var sessionOrder: [(privateID: String, disconnectedAt: NIODeadline)] = []
        var firstSession = 0
        var nextOffset: UInt64 = 0
    }

    /// The settings this log keeps to.
    public let configuration: SocketIOConnectionStateRecovery
    private let maxAge: TimeAmount
    /// Makes offsets unique across the logs of one process and across restarts.
    private let offsetPrefix: String
    private let state = NIOLockedValueBox(State())

    /// An empty log with `configuration`'s limits.
    public init(configuration: SocketIOConnectionStateRecovery) {
        self.configuration = configuration
        let (seconds, attoseconds) = configuration.maxDisconnectionDuration.components
        self.maxAge = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.offsetPrefix = String(EngineIOServer.makeSID().prefix(8)) + "-"
    }

    /// Whether socket.io keeps a socket's session when it disconnected for `reason`: the
    /// connection was lost or closed by the server, not left on purpose by the client or the app.
    public static func isRecoverable(_ reason: SocketIODisconnectReason) -> Bool {
        switch reason.rawValue {
        case "transport error", "transport close", "forced close", "ping timeout", "server shutting down",
            "forced server close":
            return true
        default:
            return false
        }
    }

    /// Logs an event packet sent without an acknowledgement to the sockets in `rooms` (all when
    /// empty) and not in `except`, appending its offset as the packet's last argument. Other
    /// packets (acknowledgements asked for, not an event) pass unchanged.
    public func record(_ packet: inout SocketIOPacket, rooms: Set<String>, except: Set<String>, now: NIODeadline = .now())
    {
        guard packet.type == .event || packet.type == .binaryEvent, packet.id == nil,
            case .array(var payload)? = packet.data
        else { return }
        state.withLockedValue { state in
            let offset = offsetPrefix + String(state.nextOffset, radix: 36)
            state.nextOffset += 1
            payload.append(.string(offset))
            packet.data = .array(payload)
            dropExpiredPackets(&state, now: now)
            state.packets.append(
                LoggedPacket(offset: offset, rooms: rooms, except: except, packet: packet, emittedAt: now))
        }
    }

    /// Keeps the session of a socket that disconnected, for `maxDisconnectionDuration`.
    public func persist(_ session: Session, now: NIODeadline = .now()) {
        state.withLockedValue { state in
            dropExpired(&state, now: now)
            var session = session
            session.missedPackets = []
            state.sessions[session.privateID] = (session, now)
            state.sessionOrder.append((session.privateID, now))
        }
    }

    /// The session `privateID` names with the packets sent to it after `offset`; `nil` when
    /// there is none, it expired, or `offset` is no longer (or never was) in the log, as
    /// socket.io does (the client then connects as a new socket). The session stays until it
    /// expires or the recovered socket's next disconnection replaces it, as in socket.io.
    public func restore(privateID: String, offset: String, now: NIODeadline = .now()) -> Session? {
        state.withLockedValue { state in
            dropExpired(&state, now: now)
            guard let (session, _) = state.sessions[privateID],
                let index = state.packets[state.first...].firstIndex(where: { $0.offset == offset })
            else { return nil }
            var restored = session
            for logged in state.packets[(index + 1)...] where Self.reaches(logged, rooms: session.rooms) {
                restored.missedPackets.append(logged.packet)
            }
            return restored
        }
    }

    /// How many packets and sessions are kept (for tests and metrics).
    public var counts: (packets: Int, sessions: Int) {
        state.withLockedValue { ($0.packets.count - $0.first, $0.sessions.count) }
    }

    /// socket.io's `shouldIncludePacket`: in one of the target rooms (or no rooms given), and in
    /// none of the excluded ones.
    private static func reaches(_ logged: LoggedPacket, rooms: Set<String>) -> Bool {
        (logged.rooms.isEmpty || !logged.rooms.isDisjoint(with: rooms)) && logged.except.isDisjoint(with: rooms)
    }

    private func dropExpired(_ state: inout State, now: NIODeadline) {
        dropExpiredPackets(&state, now: now)
        let oldest = now - maxAge
        while state.firstSession < state.sessionOrder.count,
            state.sessionOrder[state.firstSession].disconnectedAt < oldest
        {
            let (privateID, disconnectedAt) = state.sessionOrder[state.firstSession]
            // A session kept again later (or restored) is not the one that expired.
            if state.sessions[privateID]?.disconnectedAt == disconnectedAt { state.sessions[privateID] = nil }
            state.firstSession += 1
        }
        if state.firstSession > 0, state.firstSession * 2 >= state.sessionOrder.count {
            state.sessionOrder.removeFirst(state.firstSession)
            state.firstSession = 0
        }
    }

    private func dropExpiredPackets(_ state: inout State, now: NIODeadline) {
        let oldest = now - maxAge
        while state.first < state.packets.count, state.packets[state.first].emittedAt < oldest { state.first += 1 }
        if state.first > 0, state.first * 2 >= state.packets.count {
            state.packets.removeFirst(state.first)
            state.first = 0
        }
    }
}
