import NIOCore

/// The state machine of one Engine.IO session (v4, or v3 with `allowEIO3`), without I/O.
///
/// The shell feeds it events (a GET, a POST, a WebSocket message, a timer) with the current time
/// and performs the returned `EngineIOSessionAction`s in order. It enforces the protocol's rules:
/// server-driven heartbeat (ping every pingInterval, close with `"ping timeout"` when no pong
/// comes within pingTimeout), one outstanding GET and one outstanding POST on polling, outgoing
/// packets buffered until the next GET, the polling → WebSocket upgrade (`2probe` / `3probe`,
/// noop to the pending GET, `5`), maxPayload, and the close reasons.
///
/// A v3 session (`format.protocolVersion == .v3`) reverses the heartbeat: the client pings, the
/// server answers `3` at once, and the session closes with `"ping timeout"` when no ping came
/// within pingInterval + pingTimeout of the previous one (or of the handshake). Its payloads and
/// binary WebSocket messages are encoded by `format`.
///
/// A client's close packet wins over its own GET in either order: a GET held when the close
/// arrives is answered `6` (noop), as engine.io does; when the close arrives first, the session
/// lingers (closed, its sid still known) until the GET the client sent before it comes, answers it
/// `6` and is forgotten; any GET after that one is 400 "Session ID unknown".
public struct EngineIOSession: Sendable {
    /// Where the session is in its life.
    public enum Phase: Hashable, Sendable {
        /// Open on a transport (polling, or websocket from the start).
        case open(EngineIOTransport)
        /// Open on polling while a WebSocket probes an upgrade; `probed` once `2probe` was answered.
        case upgrading(probed: Bool)
        /// Switched from polling to WebSocket.
        case upgraded
        /// A server close waits for the next GET to deliver the close packet.
        case closing
        /// Over.
        case closed(EngineIOCloseReason)
    }

    /// The session id.
    public let sid: String
    /// The settings this session runs with.
    public let configuration: EngineIOConfiguration
    /// How its packets are encoded (protocol revision, v3 polling options).
    public let format: EngineIOWireFormat
    /// The current phase.
    public internal(set) var phase: Phase

    var outbox: [EngineIOPacket] = []
    var pollPending = false
    var postInFlight = false
    var nextPingAt: NIODeadline?
    var pongDeadline: NIODeadline?
    var upgradeDeadline: NIODeadline?
    var closeDeadline: NIODeadline?
    /// Set while a session closed by the client over polling waits for the GET that the client
    /// sent before its close packet (see `lingerForFinalPoll`).
    var lingerDeadline: NIODeadline?
    private var scheduled: NIODeadline?

    /// How long a server close on polling waits for a GET to carry the close packet.
    static let closeTimeout = TimeAmount.seconds(30)
    /// How long a session closed by the client's POST waits for the client's GET still in flight.
    static let finalPollTimeout = TimeAmount.seconds(5)

    private init(
        sid: String, transport: EngineIOTransport, configuration: EngineIOConfiguration, format: EngineIOWireFormat
    ) {
        self.sid = sid
        self.configuration = configuration
        self.format = format
        self.phase = .open(transport)
    }

    /// Opens a session for a handshake on `transport`. On polling the first action answers the
    /// handshake GET with the open packet; on websocket it sends the open packet as a frame.
    /// `format` is what the handshake asked for (`EngineIOWireFormat(query:)`).
    public static func open(
        sid: String,
        transport: EngineIOTransport,
        configuration: EngineIOConfiguration = EngineIOConfiguration(),
        format: EngineIOWireFormat = .v4,
        now: NIODeadline
    ) -> (EngineIOSession, [EngineIOSessionAction]) {
        var session = EngineIOSession(sid: sid, transport: transport, configuration: configuration, format: format)
        let handshake = EngineIOHandshake(sid: sid, transport: transport, configuration: configuration).packet
        var actions: [EngineIOSessionAction] =
            transport == .polling ? [.answerPoll([handshake])] : [.sendFrames([EngineIOFrame(handshake)])]
        switch format.protocolVersion {
        case .v4: session.nextPingAt = now + configuration.pingInterval
        case .v3: session.pongDeadline = now + configuration.pingInterval + configuration.pingTimeout
        }
        session.rescheduleTimer(into: &actions)
        return (session, actions)
    }

    /// The transport packets currently travel on.
    public var transport: EngineIOTransport? {
        switch phase {
        case .open(let transport): return transport
        case .upgrading, .closing: return .polling
        case .upgraded: return .websocket
        case .closed: return nil
        }
    }

    /// True once the session is over.
    public var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    /// Packets waiting for the next GET.
    public var bufferedPackets: [EngineIOPacket] { outbox }

    // MARK: - Outgoing

    /// Sends packets to the client: on WebSocket at once; on polling through the pending GET, or
    /// buffered until the next one. Dropped once the session is closing or closed.
    public mutating func send(_ packets: [EngineIOPacket]) -> [EngineIOSessionAction] {
        switch phase {
        case .open(.websocket), .upgraded:
            return [.sendFrames(packets.map(format.frame))]
        case .open(.polling), .upgrading:
            outbox.append(contentsOf: packets)
            var actions: [EngineIOSessionAction] = []
            flushPoll(into: &actions)
            return actions
        case .closing, .closed:
            return []
        }
    }

    /// Sends pre-encoded WebSocket messages (such as `SocketIOEncodedPacket.frames`, shared by
    /// every socket of a broadcast): passed through as they are on WebSocket, decoded back into
    /// packets for polling (re-encoded for a v3 WebSocket). Malformed frames are dropped.
    public mutating func send(frames: [EngineIOFrame]) -> [EngineIOSessionAction] {
        switch phase {
        case .open(.websocket), .upgraded:
            guard format.protocolVersion == .v4 else { return [.sendFrames(frames.map(format.frame(fromV4:)))] }
            return [.sendFrames(frames)]
        case .open(.polling), .upgrading:
            return send(frames.compactMap { try? $0.packet() })
        case .closing, .closed:
            return []
        }
    }

    /// Closes the session from the server side (reason `"forced close"`). On polling without a
    /// pending GET the close packet waits for the next GET (at most 30 s).
    public mutating func close(now: NIODeadline) -> [EngineIOSessionAction] {
        switch phase {
        case .closed, .closing:
            return []
        case .open(.polling), .upgrading:
            if pollPending { return finish(.forcedClose) }
            var actions: [EngineIOSessionAction] = []
            if case .upgrading = phase { actions.append(.closeProbe) }
            phase = .closing
            nextPingAt = nil
            pongDeadline = nil
            upgradeDeadline = nil
            closeDeadline = now + Self.closeTimeout
            rescheduleTimer(into: &actions)
            return actions
        case .open(.websocket), .upgraded:
            return finish(.forcedClose)
        }
    }

    // MARK: - Timer

    /// Runs whatever is due at `now`: the close timeout, the upgrade timeout, the pong deadline,
    /// the next ping; once closed, the end of a linger (`forget`). Safe to call early or late; it
    /// only acts on deadlines that passed.
    public mutating func handleTimer(now: NIODeadline) -> [EngineIOSessionAction] {
        if isClosed {
            guard let lingerDeadline, lingerDeadline <= now else { return [] }
            self.lingerDeadline = nil
            return [.forget]
        }
        scheduled = nil
        if let closeDeadline, closeDeadline <= now { return finish(.forcedClose) }
        if let pongDeadline, pongDeadline <= now { return finish(.pingTimeout) }
        var actions: [EngineIOSessionAction] = []
        if let upgradeDeadline, upgradeDeadline <= now {
            self.upgradeDeadline = nil
            phase = .open(.polling)
            actions.append(.closeProbe)
            flushPoll(into: &actions)
        }
        if let nextPingAt, nextPingAt <= now {
            self.nextPingAt = nil
            pongDeadline = now + configuration.pingTimeout
            actions += send([EngineIOPacket(.ping)])
        }
        rescheduleTimer(into: &actions)
        return actions
    }

    // MARK: - Incoming packets (any transport)

    mutating func receive(_ packet: EngineIOPacket, now: NIODeadline, into actions: inout [EngineIOSessionAction]) {
        guard !isClosed else { return }
        switch packet.type {
        case .ping where format.protocolVersion == .v3:
            pongDeadline = now + configuration.pingInterval + configuration.pingTimeout
            actions += send([EngineIOPacket(.pong)])
            rescheduleTimer(into: &actions)
        case .pong where format.protocolVersion == .v3:
            actions += finish(.transportError)  // engine.io: "invalid heartbeat direction"
        case .pong:
            guard pongDeadline != nil else { return }
            pongDeadline = nil
            nextPingAt = now + configuration.pingInterval
            rescheduleTimer(into: &actions)
        case .message:
            actions.append(.deliver(packet.data))
        case .close:
            let overPolling = transport == .polling
            let answersHeldPoll = pollPending
            if overPolling && !answersHeldPoll {
                lingerDeadline = now + Self.finalPollTimeout
                actions.append(.lingerForFinalPoll(until: now + Self.finalPollTimeout))
            }
            actions += finish(.transportClose)
            if lingerDeadline != nil { actions.append(.scheduleTimer(now + Self.finalPollTimeout)) }
        case .open, .ping, .upgrade, .noop:
            break
        }
    }

    // MARK: - Helpers

    /// Answers the pending GET with the buffered packets, if both exist and no probe holds them.
    mutating func flushPoll(into actions: inout [EngineIOSessionAction]) {
        guard pollPending, !outbox.isEmpty else { return }
        if case .upgrading(probed: true) = phase { return }
        pollPending = false
        actions.append(.answerPoll(outbox))
        outbox.removeAll(keepingCapacity: true)
    }

    /// Ends the session: closes whatever transport is open and reports `reason`.
    mutating func finish(_ reason: EngineIOCloseReason) -> [EngineIOSessionAction] {
        if isClosed { return [] }
        var actions: [EngineIOSessionAction] = []
        switch phase {
        case .upgrading: actions.append(.closeProbe)
        case .open(.websocket), .upgraded: actions.append(.closeWebSocket)
        default: break
        }
        if pollPending {
            pollPending = false
            switch reason {
            case .transportClose:
                // The client asked for the close: its GET ends cleanly, as engine.io's polling
                // transport answers it when the client's close packet arrives.
                actions.append(.answerPoll([EngineIOPacket(.noop)]))
            case .forcedClose:
                actions.append(.answerPoll(outbox + [EngineIOPacket(.close)]))
            default:
                actions.append(.answerPoll([EngineIOPacket(.close)]))
            }
        }
        outbox.removeAll()
        phase = .closed(reason)
        nextPingAt = nil
        pongDeadline = nil
        upgradeDeadline = nil
        closeDeadline = nil
        scheduled = nil
        actions.append(.closed(reason))
        return actions
    }

    /// Emits `scheduleTimer` when the earliest deadline changed.
    mutating func rescheduleTimer(into actions: inout [EngineIOSessionAction]) {
        let earliest = [closeDeadline, pongDeadline, upgradeDeadline, nextPingAt].compactMap { $0 }.min()
        guard let earliest, earliest != scheduled else { return }
        scheduled = earliest
        actions.append(.scheduleTimer(earliest))
    }
}
