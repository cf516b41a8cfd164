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
        /// On restore: the last offset the client had seen.
        public internal(set) var offset: String?
        /// When the socket disconnected (kept when a taken session is put back).
        var disconnectedAt: NIODeadline?

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
        /// The counter the offset ends with: the log's packets have consecutive numbers.
        let number: UInt64
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
        var sessions: [String: Session] = [:]
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
        self.maxAge = TimeAmount(configuration.maxDisconnectionDuration)
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
        guard Self.isLogged(packet) else { return }
        state.withLockedValue { append(&packet, rooms: rooms, except: except, now: now, in: &$0) }
    }

    /// Logs `packet` as `record(_:rooms:except:now:)` does and hands it, offset appended, to
    /// `send` before the next packet is logged: packets reach their connections' queues in offset
    /// order, so a broadcast and a `socket.emit` to the same socket cannot overtake each other and
    /// the last offset a client saw is the latest it was sent. `send` runs under the log's lock: it
    /// must only enqueue writes, never wait or call back into the log.
    public func record(
        _ packet: SocketIOPacket, rooms: Set<String>, except: Set<String>, now: NIODeadline = .now(),
        thenSend send: (SocketIOPacket) -> Void
    ) {
        guard Self.isLogged(packet) else { return send(packet) }
        state.withLockedValue { state in
            var packet = packet
            append(&packet, rooms: rooms, except: except, now: now, in: &state)
            send(packet)
        }
    }

    private static func isLogged(_ packet: SocketIOPacket) -> Bool {
        guard packet.type == .event || packet.type == .binaryEvent, packet.id == nil, case .array? = packet.data
        else { return false }
        return true
    }

    private func append(
        _ packet: inout SocketIOPacket, rooms: Set<String>, except: Set<String>, now: NIODeadline, in state: inout State
    ) {
        guard case .array(var payload)? = packet.data else { return }
        let number = state.nextOffset
        let offset = offsetPrefix + String(number, radix: 36)
        state.nextOffset += 1
        payload.append(.string(offset))
        packet.data = .array(payload)
        dropExpiredPackets(&state, now: now)
        state.packets.append(
            LoggedPacket(number: number, offset: offset, rooms: rooms, except: except, packet: packet, emittedAt: now))
    }

    /// Keeps the session of a socket that disconnected, for `maxDisconnectionDuration`.
    public func persist(_ session: Session, now: NIODeadline = .now()) {
        state.withLockedValue { state in
            dropExpired(&state, now: now)
            keep(session, disconnectedAt: now, in: &state)
        }
    }

    /// Takes the session `privateID` names out of the log, with the packets sent to it after
    /// `offset`; `nil` when there is none, it expired, or `offset` is no longer (or never was) in
    /// the log, as socket.io does (the client then connects as a new socket, and the session
    /// stays for a later attempt). A session is restored once, as the Redis streams adapter's
    /// `GETDEL` does: a second connection with the same `pid` is a new socket, never a second
    /// socket with the same id. `putBack` returns a session whose connection was refused.
    public func restore(privateID: String, offset: String, now: NIODeadline = .now()) -> Session? {
        state.withLockedValue { state in
            dropExpired(&state, now: now)
            // A session put back is listed in expiry order late, so its age is checked here too.
            guard var session = state.sessions[privateID], (session.disconnectedAt ?? now) + maxAge >= now,
                let index = Self.index(of: offset, in: state, prefix: offsetPrefix)
            else { return nil }
            state.sessions[privateID] = nil
            session.offset = offset
            session.missedPackets = Self.packets(after: index, reaching: session.rooms, in: state)
            return session
        }
    }

    /// Keeps a session `restore` took again, with the time it first disconnected (when the
    /// namespace's middleware refused the recovering connection).
    public func putBack(_ session: Session, now: NIODeadline = .now()) {
        let disconnectedAt = session.disconnectedAt ?? now
        guard disconnectedAt + maxAge >= now else { return }
        state.withLockedValue { state in
            keep(session, disconnectedAt: disconnectedAt, in: &state)
            dropExpired(&state, now: now)
        }
    }

    /// The event packets logged after `offset` that reach a socket in `rooms`, oldest first, as
    /// the log holds them now: when `offset` was dropped meanwhile (it was there when `restore`
    /// found it), every packet still kept is newer than it. Empty for an offset this log never
    /// gave. A recovered socket takes them in the same adapter step that lists it for
    /// broadcasts, so each packet reaches it once: replayed, or sent to it as a broadcast.
    public func missedPackets(after offset: String, rooms: Set<String>) -> [SocketIOPacket] {
        state.withLockedValue { state in
            if let index = Self.index(of: offset, in: state, prefix: offsetPrefix) {
                return Self.packets(after: index, reaching: rooms, in: state)
            }
            guard offset.hasPrefix(offsetPrefix), let number = UInt64(offset.dropFirst(offsetPrefix.count), radix: 36),
                number < state.nextOffset, state.first == state.packets.count || number < state.packets[state.first].number
            else { return [] }
            return Self.packets(after: state.first - 1, reaching: rooms, in: state)
        }
    }

    private func keep(_ session: Session, disconnectedAt: NIODeadline, in state: inout State) {
        var session = session
        session.missedPackets = []
        session.offset = nil
        session.disconnectedAt = disconnectedAt
        state.sessions[session.privateID] = session
        state.sessionOrder.append((session.privateID, disconnectedAt))
    }

    /// Where `offset` is in the log: offsets are the prefix and a counter, and the kept packets
    /// have consecutive counters, so the index is computed, not searched.
    private static func index(of offset: String, in state: State, prefix: String) -> Int? {
        guard offset.hasPrefix(prefix), let number = UInt64(offset.dropFirst(prefix.count), radix: 36),
            state.first < state.packets.count, number >= state.packets[state.first].number
        else { return nil }
        let distance = number - state.packets[state.first].number
        guard distance < UInt64(state.packets.count - state.first) else { return nil }
        let index = state.first + Int(distance)
        return state.packets[index].offset == offset ? index : nil
    }

    private static func packets(after index: Int, reaching rooms: Set<String>, in state: State) -> [SocketIOPacket] {
        state.packets[(index + 1)...].filter { reaches($0, rooms: rooms) }.map(\.packet)
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
