/// An adapter spanning server instances through Redis pub/sub: membership is kept locally (an
/// `InMemoryAdapter`), and broadcasts and room operations that are not `local` are also
/// published so every instance applies them to its own sockets.
///
/// Queries (`sockets(rooms:)`, `socketRooms`, `fetchSockets`) ask every other instance through
/// the bus and wait for all of their answers; they fail with `SocketIOAdapterError` when one does
/// not answer within the bus's `requestTimeout`.
public final class RedisAdapter: SocketIOAdapter {
    /// The namespace this adapter serves.
    public let namespace: String
    private let local: InMemoryAdapter
    private let bus: SocketIORedisBus

    init(namespace: String, localSockets: any SocketIOLocalSockets, bus: SocketIORedisBus) {
        self.namespace = namespace
        self.local = InMemoryAdapter(namespace: namespace, localSockets: localSockets)
        self.bus = bus
    }

    /// Adds a local socket to rooms.
    public func addAll(_ socket: String, rooms: Set<String>) async { await local.addAll(socket, rooms: rooms) }
    /// Removes a local socket from one room.
    public func delete(_ socket: String, room: String) async { await local.delete(socket, room: room) }
    /// Removes a local socket from every room.
    public func deleteAll(_ socket: String) async { await local.deleteAll(socket) }

    /// Delivers locally, then publishes to the other instances (unless `options.local`).
    public func broadcast(_ packet: SocketIOPacket, options: SocketIOBroadcastOptions) async {
        await local.broadcast(packet, options: options)
        guard !options.local else { return }
        var message = RedisAdapterMessage(uid: bus.uid, namespace: namespace, kind: .broadcast, options: options)
        message.packet = packet
        await bus.publish(message)
    }

    /// The sockets of every instance in any of `rooms` (every socket when empty).
    ///
    /// - Throws: `SocketIOAdapterError` when another instance did not answer in time.
    public func sockets(rooms: Set<String>) async throws -> Set<String> {
        Set(try await fetchSockets(SocketIOBroadcastOptions(rooms: rooms)).map(\.id))
    }

    /// The rooms of a socket of any instance, or `nil` when no instance knows it.
    ///
    /// - Throws: `SocketIOAdapterError` when the socket is not local and another instance did not
    ///   answer in time.
    public func socketRooms(_ socket: String) async throws -> Set<String>? {
        if let rooms = await local.socketRooms(socket) { return rooms }
        let remote = try await bus.fetchRemote(namespace: namespace, options: SocketIOBroadcastOptions(rooms: [socket]))
        return remote.first { $0.id == socket }?.rooms
    }

    /// The sockets `options` selects on every instance (this one only when `options.local`): this
    /// instance's, then the others' as they answered a request on the bus.
    ///
    /// - Throws: `SocketIOAdapterError` when not every other instance answered within the bus's
    ///   `requestTimeout` (no partial result is returned), or Redis could not be reached.
    public func fetchSockets(_ options: SocketIOBroadcastOptions) async throws -> [SocketIOSocketDetails] {
        let mine = await local.fetchSockets(options)
        guard !options.local else { return mine }
        return mine + (try await bus.fetchRemote(namespace: namespace, options: options))
    }

    /// This instance's sockets that `options` selects (the answer to another instance's request).
    func localDetails(_ options: SocketIOBroadcastOptions) async -> [SocketIOSocketDetails] {
        await local.fetchSockets(options)
    }

    /// Makes the selected sockets of every instance join `rooms`.
    public func addSockets(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        await local.addSockets(options, rooms: rooms)
        await publish(.addSockets, options, rooms: rooms)
    }

    /// Makes the selected sockets of every instance leave `rooms`.
    public func delSockets(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        await local.delSockets(options, rooms: rooms)
        await publish(.delSockets, options, rooms: rooms)
    }

    /// Disconnects the selected sockets of every instance.
    public func disconnectSockets(_ options: SocketIOBroadcastOptions, close: Bool) async {
        await local.disconnectSockets(options, close: close)
        await publish(.disconnectSockets, options, close: close)
    }

    private func publish(
        _ kind: RedisAdapterMessage.Kind, _ options: SocketIOBroadcastOptions, rooms: Set<String> = [],
        close: Bool = false
    ) async {
        guard !options.local else { return }
        var message = RedisAdapterMessage(uid: bus.uid, namespace: namespace, kind: kind, options: options)
        message.rooms = rooms
        message.close = close
        await bus.publish(message)
    }

    /// Applies an operation another instance published, to local sockets only.
    func applyRemote(_ message: RedisAdapterMessage) async {
        switch message.kind {
        case .broadcast:
            if let packet = message.packet { await local.broadcast(packet, options: message.options) }
        case .addSockets: await local.addSockets(message.options, rooms: message.rooms)
        case .delSockets: await local.delSockets(message.options, rooms: message.rooms)
        case .disconnectSockets: await local.disconnectSockets(message.options, close: message.close)
        }
    }
}
