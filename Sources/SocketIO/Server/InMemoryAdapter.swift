/// The adapter of a single server instance: room membership in memory, broadcasts delivered to
/// local sockets only. With connection-state recovery it logs what it broadcasts and keeps the
/// sessions of disconnected sockets, as socket.io's `SessionAwareAdapter`.
public actor InMemoryAdapter: SocketIOAdapter {
    /// The namespace this adapter serves.
    public nonisolated let namespace: String
    /// The recovery log, when the adapter was made with connection-state recovery.
    public nonisolated let sessionLog: SocketIOSessionLog?
    private let localSockets: any SocketIOLocalSockets
    private var members: [String: Set<String>] = [:]
    private var roomsOfSocket: [String: Set<String>] = [:]
    private let roomObserver: RoomObserver?

    /// Hears a room come into being (its first member joined: `created` true) or go away (its
    /// last member left), in that order, inside the adapter's step (so it must not block);
    /// `isPrivate` says the room is a local socket's own id room (socket.io's `create-room` /
    /// `delete-room` events and its `sids.has(room)` test).
    public typealias RoomObserver = @Sendable (_ room: String, _ created: Bool, _ isPrivate: Bool) -> Void

    /// An adapter for `namespace` delivering to `localSockets`, recovering connections as
    /// `recovery` says (none by default); `roomObserver` hears rooms come and go.
    public init(
        namespace: String, localSockets: any SocketIOLocalSockets, recovery: SocketIOConnectionStateRecovery? = nil,
        roomObserver: RoomObserver? = nil
    ) {
        self.namespace = namespace
        self.localSockets = localSockets
        self.sessionLog = recovery.map(SocketIOSessionLog.init(configuration:))
        self.roomObserver = roomObserver
    }

    /// Adds a socket to rooms.
    public func addAll(_ socket: String, rooms: Set<String>) {
        roomsOfSocket[socket, default: []].formUnion(rooms)
        for room in rooms where members[room, default: []].insert(socket).inserted && members[room]?.count == 1 {
            roomObserver?(room, true, roomsOfSocket[room] != nil)
        }
    }

    /// Adds a socket to rooms and runs `list` in the same actor step: a broadcast (which records
    /// and delivers in one step) comes wholly before or wholly after.
    public func join(_ socket: String, rooms: Set<String>, then list: @Sendable () -> Void) {
        addAll(socket, rooms: rooms)
        list()
    }

    /// Removes a socket from one room.
    public func delete(_ socket: String, room: String) {
        roomsOfSocket[socket]?.remove(room)
        removeMember(socket, from: room)
    }

    /// Removes a socket from every room.
    public func deleteAll(_ socket: String) {
        guard let rooms = roomsOfSocket[socket] else { return }
        for room in rooms { removeMember(socket, from: room) }
        roomsOfSocket[socket] = nil
    }

    private func removeMember(_ socket: String, from room: String) {
        guard var sockets = members[room], sockets.remove(socket) != nil else { return }
        members[room] = sockets.isEmpty ? nil : sockets
        if sockets.isEmpty { roomObserver?(room, false, roomsOfSocket[room] != nil) }
    }

    /// Encodes the packet once and delivers it to the selected local sockets (with recovery,
    /// logged and handed to them in offset order).
    public func broadcast(_ packet: SocketIOPacket, options: SocketIOBroadcastOptions) {
        var packet = packet
        packet.namespace = namespace
        guard let sessionLog else { return deliver(packet, options: options) }
        sessionLog.record(packet, rooms: options.rooms, except: options.except) { deliver($0, options: options) }
    }

    private func deliver(_ packet: SocketIOPacket, options: SocketIOBroadcastOptions) {
        if options.rooms.isEmpty && options.except.isEmpty {
            let encoded = SocketIOPacketEncoder.encode(packet)
            if localSockets.deliverToAll(encoded) { return }
            let targets = select(options)
            if !targets.isEmpty { localSockets.deliver(encoded, to: targets) }
            return
        }
        let targets = select(options)
        guard !targets.isEmpty else { return }
        localSockets.deliver(SocketIOPacketEncoder.encode(packet), to: targets)
    }

    /// The ids of the sockets in any of `rooms` (every socket when empty).
    public func sockets(rooms: Set<String>) -> Set<String> {
        if rooms.isEmpty { return Set(roomsOfSocket.keys) }
        var result = Set<String>()
        for room in rooms { result.formUnion(members[room] ?? []) }
        return result
    }

    /// Every room that has a member (socket-id rooms included).
    public func allRooms() -> Set<String> { Set(members.keys) }

    /// The rooms a socket is in.
    public func socketRooms(_ socket: String) -> Set<String>? { roomsOfSocket[socket] }

    /// The sockets `options` selects, with their rooms, data and handshake basics.
    public func fetchSockets(_ options: SocketIOBroadcastOptions) -> [SocketIOSocketDetails] {
        select(options).map { localSockets.details(of: $0, rooms: roomsOfSocket[$0] ?? []) }
    }

    /// Makes the selected sockets join `rooms`.
    public func addSockets(_ options: SocketIOBroadcastOptions, rooms: Set<String>) {
        for socket in select(options) { addAll(socket, rooms: rooms) }
    }

    /// Makes the selected sockets leave `rooms`.
    public func delSockets(_ options: SocketIOBroadcastOptions, rooms: Set<String>) {
        for socket in select(options) {
            for room in rooms { delete(socket, room: room) }
        }
    }

    /// Disconnects the selected local sockets.
    public func disconnectSockets(_ options: SocketIOBroadcastOptions, close: Bool) {
        let targets = select(options)
        guard !targets.isEmpty else { return }
        localSockets.disconnect(targets, close: close)
    }

    /// Sends the event to the selected local sockets and returns their acknowledgements' first
    /// arguments once every one answered.
    ///
    /// - Throws: `SocketIOAckError.timedOut` when one did not answer within `timeout`.
    public func broadcastWithAck(_ packet: SocketIOPacket, options: SocketIOBroadcastOptions, timeout: Duration)
        async throws -> [SocketIOValue]
    {
        let collector = SocketIOAckCollector(servers: 1)
        collector.clientCount(emitWithAck(packet, options: options, timeout: timeout, onAck: collector.ack))
        return try await collector.responses(timeout: timeout)
    }

    /// Sends the event to the selected local sockets, calling `onAck` for each acknowledgement;
    /// returns how many sockets it was sent to.
    func emitWithAck(
        _ packet: SocketIOPacket, options: SocketIOBroadcastOptions, timeout: Duration,
        onAck: @escaping @Sendable (SocketIOValue) -> Void
    ) -> Int {
        var packet = packet
        packet.namespace = namespace
        packet.id = nil
        return localSockets.emitWithAck(packet, to: select(options), timeout: timeout, onAck: onAck)
    }

    /// The sockets in any of `options.rooms` (all when empty) that are in none of `options.except`.
    private func select(_ options: SocketIOBroadcastOptions) -> [String] {
        var excluded = Set<String>()
        for room in options.except { excluded.formUnion(members[room] ?? []) }
        if options.rooms.isEmpty {
            return roomsOfSocket.keys.filter { !excluded.contains($0) }
        }
        var seen = Set<String>()
        var result: [String] = []
        for room in options.rooms {
            for socket in members[room] ?? [] where !excluded.contains(socket) && seen.insert(socket).inserted {
                result.append(socket)
            }
        }
        return result
    }
}
