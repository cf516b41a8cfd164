/// Room membership and broadcasting for one namespace.
///
/// Socket ids are the per-namespace Socket.IO ids; every socket is a member of the room named
/// after its own id. The in-memory adapter serves one instance; an adapter spanning instances
/// (Redis pub/sub) implements the same protocol and forwards non-`local` operations, which is
/// why every requirement is `async`.
public protocol SocketIOAdapter: Sendable {
    /// The namespace this adapter serves.
    var namespace: String { get }

    /// Adds a socket to rooms.
    func addAll(_ socket: String, rooms: Set<String>) async
    /// Adds a connecting socket to `rooms`, then runs `list` (which lists it for deliveries and
    /// sends its CONNECT answer), with none of this adapter's broadcasts in between where the
    /// adapter can promise it: each broadcast then happened before `list` ran or reaches the
    /// socket. Connection-state recovery relies on it to replay each missed packet exactly once.
    func join(_ socket: String, rooms: Set<String>, then list: @Sendable () -> Void) async
    /// Removes a socket from one room.
    func delete(_ socket: String, room: String) async
    /// Removes a socket from every room (it disconnected).
    func deleteAll(_ socket: String) async

    /// Sends a packet to the sockets `options` selects. The packet is encoded once.
    func broadcast(_ packet: SocketIOPacket, options: SocketIOBroadcastOptions) async

    /// The ids of the sockets in any of `rooms` (every socket when empty), on every instance.
    func sockets(rooms: Set<String>) async throws -> Set<String>
    /// The rooms a socket is in, or `nil` when no instance knows the socket.
    func socketRooms(_ socket: String) async throws -> Set<String>?
    /// The sockets `options` selects, on every instance unless `options.local`.
    func fetchSockets(_ options: SocketIOBroadcastOptions) async throws -> [SocketIOSocketDetails]

    /// Makes the sockets `options` selects join `rooms`.
    func addSockets(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async
    /// Makes the sockets `options` selects leave `rooms`.
    func delSockets(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async
    /// Disconnects the sockets `options` selects (`close`: also close their whole connection).
    func disconnectSockets(_ options: SocketIOBroadcastOptions, close: Bool) async

    /// Sends an event to the sockets `options` selects, on every instance unless `options.local`,
    /// and returns the first argument of each one's acknowledgement.
    ///
    /// - Throws: `SocketIOAckError.timedOut` when not every selected socket answered within
    ///   `timeout`.
    func broadcastWithAck(_ packet: SocketIOPacket, options: SocketIOBroadcastOptions, timeout: Duration) async throws
        -> [SocketIOValue]

    /// Where connection-state recovery keeps sessions and sent packets, or `nil` when this
    /// adapter does not recover connections (then CONNECT answers carry no `pid`). An adapter that
    /// has one records every broadcast event in it (`SocketIOSessionLog.record`) before sending.
    var sessionLog: SocketIOSessionLog? { get }
}

extension SocketIOAdapter {
    /// No connection-state recovery.
    public var sessionLog: SocketIOSessionLog? { nil }

    /// `addAll`, then `list`: for adapters without connection-state recovery, which need no
    /// step shared with broadcasts.
    public func join(_ socket: String, rooms: Set<String>, then list: @Sendable () -> Void) async {
        await addAll(socket, rooms: rooms)
        list()
    }
}

/// Where an adapter hands work for sockets connected to this instance. Implemented by the
/// server's namespace; calls must not block (they enqueue writes on the sockets' connections).
public protocol SocketIOLocalSockets: Sendable {
    /// Writes an already-encoded packet to these local sockets.
    func deliver(_ packet: SocketIOEncodedPacket, to sockets: [String])
    /// Writes an already-encoded packet to every local socket of the namespace, if this sink
    /// keeps them itself (then returns true); false: the adapter selects them and calls
    /// `deliver(_:to:)`. A broadcast to everyone then needs no id lookups.
    func deliverToAll(_ packet: SocketIOEncodedPacket) -> Bool
    /// Disconnects these local sockets (`"server namespace disconnect"`); with `close`, closes
    /// their connections too.
    func disconnect(_ sockets: [String], close: Bool)
    /// What a query reports about local socket `socket` (its data and handshake basics).
    func details(of socket: String, rooms: Set<String>) -> SocketIOSocketDetails
    /// Sends an EVENT packet to these local sockets, each with its own ack id, and calls `onAck`
    /// with the first argument of each acknowledgement that arrives within `timeout`; returns how
    /// many sockets it was sent to.
    func emitWithAck(
        _ packet: SocketIOPacket, to sockets: [String], timeout: Duration,
        onAck: @escaping @Sendable (SocketIOValue) -> Void
    ) -> Int
}

extension SocketIOLocalSockets {
    /// False: the adapter selects the sockets (for sinks that keep no list of their own).
    public func deliverToAll(_ packet: SocketIOEncodedPacket) -> Bool { false }

    /// Sends nothing and counts no socket (for sinks that cannot track acknowledgements).
    public func emitWithAck(
        _ packet: SocketIOPacket, to sockets: [String], timeout: Duration,
        onAck: @escaping @Sendable (SocketIOValue) -> Void
    ) -> Int { 0 }

    /// The id and rooms only (for local-socket sinks that keep no data).
    public func details(of socket: String, rooms: Set<String>) -> SocketIOSocketDetails {
        SocketIOSocketDetails(id: socket, rooms: rooms)
    }
}
