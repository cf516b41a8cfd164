import JavaScriptFormats
import NIOCore

/// The Socket.IO state of one client connection (one Engine.IO session), without I/O.
///
/// It decodes the connection's messages, tracks which namespaces the client joined (CONNECT,
/// the middleware's verdict, DISCONNECT), closes a connection that joins no namespace within
/// connectTimeout, keeps the acknowledgement ids of every socket in both directions with their
/// timeouts, and reports disconnect reasons. The shell runs the returned actions.
///
/// Over Engine.IO v3 it speaks Socket.IO protocol 4, as socket.io does with `allowEIO3`: the
/// client is in the main namespace from the start (no CONNECT, no connectTimeout), a CONNECT to
/// another namespace carries its query in the namespace (`0/admin?token=x,`) and is answered `0/admin,`
/// without a payload, and CONNECT_ERROR carries a string (`4"Not authorized"`).
public struct SocketIOConnection: Sendable {
    /// Connection settings.
    public struct Configuration: Sendable, Hashable {
        /// How long a new connection may go without joining a namespace. Default 45 s.
        public var connectTimeout: TimeAmount
        /// Most binary attachments per packet. Default 256.
        public var maximumAttachments: Int

        /// Settings with Socket.IO's defaults.
        public init(connectTimeout: TimeAmount = .seconds(45), maximumAttachments: Int = 256) {
            self.connectTimeout = connectTimeout
            self.maximumAttachments = maximumAttachments
        }
    }

    private enum Membership: Sendable {
        case authorizing
        case connected(socketID: String, acks: SocketIOAckTracker)
    }

    private var decoder: SocketIOPacketDecoder
    /// The Engine.IO revision under the connection: v3 means Socket.IO protocol 4.
    public let engineProtocol: EngineIOProtocolVersion
    private var namespaces: [String: Membership] = [:]
    private var connectDeadline: NIODeadline?
    private var scheduled: NIODeadline?
    /// True once the connection is over (parse error, timeout, or its Engine.IO session closed).
    public private(set) var isClosed = false

    /// A new connection whose Engine.IO session just opened at `now`; the actions arm the
    /// connect timeout, or over Engine.IO v3 authorize the implicit CONNECT to `/`.
    public static func open(
        configuration: Configuration = Configuration(), engineProtocol: EngineIOProtocolVersion = .v4,
        now: NIODeadline
    ) -> (SocketIOConnection, [SocketIOConnectionAction]) {
        var connection = SocketIOConnection(
            decoder: SocketIOPacketDecoder(maximumAttachments: configuration.maximumAttachments),
            engineProtocol: engineProtocol)
        if engineProtocol == .v3 {
            connection.namespaces["/"] = .authorizing
            return (connection, [.authorize(namespace: "/", auth: nil)])
        }
        connection.connectDeadline = now + configuration.connectTimeout
        var actions: [SocketIOConnectionAction] = []
        connection.rescheduleTimer(into: &actions)
        return (connection, actions)
    }

    private init(decoder: SocketIOPacketDecoder, engineProtocol: EngineIOProtocolVersion) {
        self.decoder = decoder
        self.engineProtocol = engineProtocol
    }

    /// The socket id of the client in `namespace`, once connected there.
    public func socketID(in namespace: String) -> String? {
        if case .connected(let id, _)? = namespaces[namespace] { return id }
        return nil
    }

    /// Namespaces the client is connected to.
    public var connectedNamespaces: [String] {
        namespaces.compactMap { name, state in
            if case .connected = state { return name }
            return nil
        }.sorted()
    }

    // MARK: - Incoming

    /// Handles one Engine.IO message. `namespaceExists` says whether the server serves a
    /// namespace (static or dynamic); CONNECT to any other is answered "Invalid namespace".
    /// A packet that does not decode closes the connection with `"parse error"`; one the
    /// client's state does not allow (see `SocketIODisconnectReason.forcedServerClose`) closes
    /// it with `"forced server close"`, as socket.io's client does. A second CONNECT while the
    /// first is being authorized, and a DISCONNECT then, are not errors: the first is ignored,
    /// the second cancels the pending connect.
    public mutating func receive(
        _ message: EngineIOData,
        now: NIODeadline,
        namespaceExists: (String) -> Bool
    ) -> [SocketIOConnectionAction] {
        guard !isClosed else { return [] }
        let packet: SocketIOPacket
        do {
            guard let decoded = try decoder.decode(message) else { return [] }
            packet = decoded
        } catch {
            return terminate(.parseError, closeEngine: true)
        }
        var name = packet.namespace
        var auth = packet.data
        if engineProtocol == .v3, packet.type == .connect, let query = name.firstIndex(of: "?") {
            auth = Self.queryObject(name[name.index(after: query)...])
            name = String(name[..<query])
        }
        switch (packet.type, namespaces[name]) {
        case (.connect, nil):
            guard namespaceExists(name) else { return [.send(connectError(name, message: "Invalid namespace"))] }
            namespaces[name] = .authorizing
            return [.authorize(namespace: name, auth: auth)]
        case (.connect, .authorizing?):
            return []
        case (.connect, .connected?):
            return terminate(.forcedServerClose, closeEngine: true)
        case (.event, .connected(let socketID, var acks)?), (.binaryEvent, .connected(let socketID, var acks)?):
            if let id = packet.id {
                acks.expectAnswer(id)
                namespaces[name] = .connected(socketID: socketID, acks: acks)
            }
            return [
                .event(namespace: name, name: packet.eventName ?? "", arguments: packet.arguments, ackID: packet.id)
            ]
        case (.ack, .connected(let socketID, var acks)?), (.binaryAck, .connected(let socketID, var acks)?):
            guard let id = packet.id, acks.resolve(id) else { return [] }
            namespaces[name] = .connected(socketID: socketID, acks: acks)
            var actions: [SocketIOConnectionAction] = [
                .ackReceived(namespace: name, id: id, arguments: packet.arguments)
            ]
            rescheduleTimer(into: &actions)
            return actions
        case (.disconnect, .connected(let socketID, _)?):
            namespaces[name] = nil
            var actions: [SocketIOConnectionAction] = [
                .disconnected(namespace: name, socketID: socketID, reason: .clientNamespaceDisconnect)
            ]
            rescheduleTimer(into: &actions)
            return actions
        case (.disconnect, .authorizing?):
            namespaces[name] = nil
            return []
        default:
            return terminate(.forcedServerClose, closeEngine: true)
        }
    }

    // MARK: - Middleware verdicts

    /// The namespace's middleware accepted the client: connect, replying `0<nsp>,{"sid":…}`
    /// (with `"pid"` when the server recovers connections and gave the socket `privateID`).
    public mutating func accept(namespace: String, socketID: String, privateID: String? = nil)
        -> [SocketIOConnectionAction]
    {
        guard !isClosed, case .authorizing? = namespaces[namespace] else { return [] }
        namespaces[namespace] = .connected(socketID: socketID, acks: SocketIOAckTracker())
        connectDeadline = nil
        var answer: SocketIOValue? = nil
        if engineProtocol != .v3 {
            answer = privateID.map { ["sid": .string(socketID), "pid": .string($0)] } ?? ["sid": .string(socketID)]
        }
        let reply = SocketIOPacket(type: .connect, namespace: namespace, data: answer)
        var actions: [SocketIOConnectionAction] = [
            .connected(namespace: namespace, socketID: socketID, reply: SocketIOPacketEncoder.encode(reply).engineIOPackets)
        ]
        rescheduleTimer(into: &actions)
        return actions
    }

    /// The namespace's middleware refused the client: reply CONNECT_ERROR
    /// `{"message":…}` (plus `"data"` when given); over Engine.IO v3 `data`, else the message
    /// as a string, as socket.io sends `err.data || err.message`.
    public mutating func refuse(namespace: String, message: String, data: SocketIOValue? = nil)
        -> [SocketIOConnectionAction]
    {
        guard !isClosed, case .authorizing? = namespaces[namespace] else { return [] }
        namespaces[namespace] = nil
        return [.send(connectError(namespace, message: message, data: data))]
    }

    private func connectError(_ namespace: String, message: String, data: SocketIOValue? = nil) -> [EngineIOPacket] {
        let payload: SocketIOValue
        if engineProtocol == .v3 {
            payload = data ?? .string(message)
        } else {
            var object: SocketIOObject = ["message": .string(message)]
            if let data { object["data"] = data }
            payload = .object(object)
        }
        let error = SocketIOPacket(type: .connectError, namespace: namespace, data: payload)
        return SocketIOPacketEncoder.encode(error).engineIOPackets
    }

    /// The query of a v3 CONNECT's namespace (`/admin?token=x`) as an object of strings.
    private static func queryObject(_ query: Substring) -> SocketIOValue {
        var object = SocketIOObject()
        for (key, value) in SocketIOSocketDetails.queryPairs(String(query)) where object[key] == nil {
            object[key] = .string(value)
        }
        return .object(object)
    }

    // MARK: - Outgoing

    /// Emits an event to the client in `namespace`. With `ackTimeout` (or `expectAck`) an ack id
    /// is allocated and returned; its answer arrives as `.ackReceived`, or `.ackTimedOut`.
    public mutating func emit(
        namespace: String,
        event: String,
        arguments: [SocketIOValue],
        expectAck: Bool = false,
        ackTimeout: TimeAmount? = nil,
        now: NIODeadline
    ) -> (ackID: UInt64?, actions: [SocketIOConnectionAction]) {
        guard !isClosed, case .connected(let socketID, var acks)? = namespaces[namespace] else { return (nil, []) }
        var id: UInt64?
        var actions: [SocketIOConnectionAction] = []
        if expectAck || ackTimeout != nil {
            id = acks.allocate(deadline: ackTimeout.map { now + $0 })
            namespaces[namespace] = .connected(socketID: socketID, acks: acks)
        }
        let packet = SocketIOPacket.event(event, arguments, namespace: namespace, id: id)
        actions.append(.send(SocketIOPacketEncoder.encode(packet).engineIOPackets))
        rescheduleTimer(into: &actions)
        return (id, actions)
    }

    /// Answers the client's event `id` in `namespace`; only the first answer is sent.
    public mutating func acknowledge(namespace: String, id: UInt64, arguments: [SocketIOValue])
        -> [SocketIOConnectionAction]
    {
        guard !isClosed, case .connected(let socketID, var acks)? = namespaces[namespace], acks.answer(id) else {
            return []
        }
        namespaces[namespace] = .connected(socketID: socketID, acks: acks)
        return [.send(SocketIOPacketEncoder.encode(.ack(id, arguments, namespace: namespace)).engineIOPackets)]
    }

    /// Disconnects the client from `namespace` (`socket.disconnect()`): sends DISCONNECT.
    public mutating func disconnect(namespace: String) -> [SocketIOConnectionAction] {
        guard !isClosed, case .connected(let socketID, _)? = namespaces[namespace] else { return [] }
        namespaces[namespace] = nil
        var actions: [SocketIOConnectionAction] = [
            .send(
                SocketIOPacketEncoder.encode(SocketIOPacket(type: .disconnect, namespace: namespace)).engineIOPackets),
            .disconnected(namespace: namespace, socketID: socketID, reason: .serverNamespaceDisconnect),
        ]
        rescheduleTimer(into: &actions)
        return actions
    }

    // MARK: - Lifecycle

    /// The Engine.IO session closed: every socket disconnects with the matching reason.
    public mutating func engineClosed(_ reason: EngineIOCloseReason) -> [SocketIOConnectionAction] {
        terminate(SocketIODisconnectReason(reason), closeEngine: false)
    }

    /// Runs what is due at `now`: the connect timeout and ack timeouts.
    public mutating func handleTimer(now: NIODeadline) -> [SocketIOConnectionAction] {
        guard !isClosed else { return [] }
        scheduled = nil
        if let connectDeadline, connectDeadline <= now {
            return terminate(.forcedClose, closeEngine: true)
        }
        var actions: [SocketIOConnectionAction] = []
        for name in namespaces.keys.sorted() {
            guard case .connected(let socketID, var acks)? = namespaces[name] else { continue }
            let expired = acks.expire(now: now)
            guard !expired.isEmpty else { continue }
            namespaces[name] = .connected(socketID: socketID, acks: acks)
            actions += expired.map { .ackTimedOut(namespace: name, id: $0) }
        }
        rescheduleTimer(into: &actions)
        return actions
    }

    private mutating func terminate(_ reason: SocketIODisconnectReason, closeEngine: Bool) -> [SocketIOConnectionAction]
    {
        guard !isClosed else { return [] }
        isClosed = true
        var actions: [SocketIOConnectionAction] = []
        for name in namespaces.keys.sorted() {
            if case .connected(let socketID, _)? = namespaces[name] {
                actions.append(.disconnected(namespace: name, socketID: socketID, reason: reason))
            }
        }
        namespaces.removeAll()
        connectDeadline = nil
        if closeEngine { actions.append(.closeEngine) }
        return actions
    }

    private mutating func rescheduleTimer(into actions: inout [SocketIOConnectionAction]) {
        var earliest = connectDeadline
        for case .connected(_, let acks) in namespaces.values {
            if let deadline = acks.earliestDeadline, earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        guard let earliest, earliest != scheduled else { return }
        scheduled = earliest
        actions.append(.scheduleTimer(earliest))
    }
}
