import JavaScriptFormats
import NIOConcurrencyHelpers

/// An adapter spanning server instances through Redis pub/sub, speaking the protocol of
/// `@socket.io/redis-adapter` 8.x so that sesior and Node instances share one cluster:
/// membership is kept locally (an `InMemoryAdapter`), and broadcasts and room operations that are
/// not `local` are also published so every instance applies them to its own sockets. Its bus
/// is a `SocketIORedisBus` (`createAdapter`: classic pub/sub) or a `SocketIOShardedRedisBus`
/// (`createShardedAdapter`: sharded pub/sub, in socket.io's cluster-adapter format).
///
/// Queries (`sockets(rooms:)`, `socketRooms`, `fetchSockets`, `allRooms`, `serverSideEmit` with
/// acks) ask every other instance through the bus and wait for all of their answers; they fail
/// with `SocketIOAdapterError` when one does not answer within the bus's `requestTimeout`.
public final class RedisAdapter: SocketIOAdapter {
    /// Answers an event another instance emitted with `serverSideEmit`: its name and arguments;
    /// the value returned is the acknowledgement when the sender asked for one (nil: no answer).
    public typealias ServerSideHandler = @Sendable (_ event: String, _ arguments: [SocketIOValue]) async -> SocketIOValue?

    /// The namespace this adapter serves.
    public let namespace: String
    private let local: InMemoryAdapter
    private let bus: any RedisAdapterBus
    private let serverSideHandlers = NIOLockedValueBox([ServerSideHandler]())

    init(
        namespace: String, localSockets: any SocketIOLocalSockets, bus: any RedisAdapterBus,
        roomObserver: InMemoryAdapter.RoomObserver? = nil
    ) {
        self.namespace = namespace
        self.local = InMemoryAdapter(namespace: namespace, localSockets: localSockets, roomObserver: roomObserver)
        self.bus = bus
    }

    /// Adds a local socket to rooms.
    public func addAll(_ socket: String, rooms: Set<String>) async { await local.addAll(socket, rooms: rooms) }
    /// Removes a local socket from one room.
    public func delete(_ socket: String, room: String) async { await local.delete(socket, room: room) }
    /// Removes a local socket from every room.
    public func deleteAll(_ socket: String) async { await local.deleteAll(socket) }

    /// Delivers locally, then publishes `[uid, packet, opts]` to the other instances (unless
    /// `options.local`).
    public func broadcast(_ packet: SocketIOPacket, options: SocketIOBroadcastOptions) async {
        await local.broadcast(packet, options: options)
        guard !options.local else { return }
        var packet = packet
        packet.namespace = namespace
        await bus.publish(RedisAdapterMessage(uid: bus.uid, packet: packet, options: options))
    }

    /// Sends the event to the selected sockets of every instance (a `BROADCAST` request with
    /// `flags.timeout`, unless `options.local`) and returns the first argument of each
    /// acknowledgement: complete once every instance reported its client count
    /// (`BROADCAST_CLIENT_COUNT`) and that many acknowledgements (`BROADCAST_ACK`) arrived.
    ///
    /// - Throws: `SocketIOAckError.timedOut` when not complete within `timeout`.
    public func broadcastWithAck(_ packet: SocketIOPacket, options: SocketIOBroadcastOptions, timeout: Duration)
        async throws -> [SocketIOValue]
    {
        let collector = SocketIOAckCollector(servers: options.local ? 1 : nil)
        var packet = packet
        packet.namespace = namespace
        if !options.local {
            let milliseconds = Double(timeout.components.seconds) * 1000 + Double(timeout.components.attoseconds / 1_000_000_000_000_000)
            let request = RedisAdapterRequest(
                uid: bus.uid, requestID: EngineIOServer.makeSID(),
                kind: .broadcast(packet, options, flags: ["timeout": .number(milliseconds)]))
            let others = await bus.publish(request, namespace: namespace, lingering: timeout) { response in
                switch response.kind {
                case .broadcastClientCount(let count): collector.clientCount(count)
                case .broadcastAck(let value): collector.ack(value ?? .null)
                default: break
                }
            }
            collector.expectServers(1 + others)
        }
        collector.clientCount(await local.emitWithAck(packet, options: options, timeout: timeout, onAck: collector.ack))
        return try await collector.responses(timeout: timeout)
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
        let remote = try await remoteSockets(SocketIOBroadcastOptions(rooms: [socket]))
        return remote.first { $0.id == socket }?.rooms
    }

    /// The sockets `options` selects on every instance (this one only when `options.local`): this
    /// instance's, then the others' as they answered a `REMOTE_FETCH` request.
    ///
    /// - Throws: `SocketIOAdapterError` when not every other instance answered within the bus's
    ///   `requestTimeout` (no partial result is returned), or Redis could not be reached.
    public func fetchSockets(_ options: SocketIOBroadcastOptions) async throws -> [SocketIOSocketDetails] {
        let mine = await local.fetchSockets(options)
        guard !options.local else { return mine }
        return mine + (try await remoteSockets(options))
    }

    private func remoteSockets(_ options: SocketIOBroadcastOptions) async throws -> [SocketIOSocketDetails] {
        try await bus.request(.fetch(options), namespace: namespace).flatMap { response -> [SocketIOSocketDetails] in
            switch response.kind {
            case .sockets(let sockets): sockets
            case .socketIDs(let ids): ids.map { SocketIOSocketDetails(id: $0) }
            default: []
            }
        }
    }

    /// Every room of the namespace on every instance (`ALL_ROOMS`), socket-id rooms included.
    ///
    /// - Throws: `SocketIOAdapterError` when another instance did not answer in time.
    public func allRooms() async throws -> Set<String> {
        var rooms = await local.allRooms()
        for response in try await bus.request(.allRooms, namespace: namespace) {
            if case .rooms(let theirs) = response.kind { rooms.formUnion(theirs) }
        }
        return rooms
    }

    /// Makes the selected sockets of every instance join `rooms`.
    public func addSockets(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        await local.addSockets(options, rooms: rooms)
        await publish(.join(options, rooms: rooms), options)
    }

    /// Makes the selected sockets of every instance leave `rooms`.
    public func delSockets(_ options: SocketIOBroadcastOptions, rooms: Set<String>) async {
        await local.delSockets(options, rooms: rooms)
        await publish(.leave(options, rooms: rooms), options)
    }

    /// Disconnects the selected sockets of every instance.
    public func disconnectSockets(_ options: SocketIOBroadcastOptions, close: Bool) async {
        await local.disconnectSockets(options, close: close)
        await publish(.disconnect(options, close: close), options)
    }

    private func publish(_ kind: RedisAdapterRequest.Kind, _ options: SocketIOBroadcastOptions) async {
        guard !options.local else { return }
        await bus.publish(RedisAdapterRequest(uid: bus.uid, requestID: nil, kind: kind), namespace: namespace)
    }

    /// Adds a handler for the events other instances emit with `serverSideEmit` (Node's
    /// `io.on(event, …)` for server-side events); handlers run in the order added, and the
    /// first non-nil answer acknowledges.
    public func onServerSideEmit(_ handler: @escaping ServerSideHandler) {
        serverSideHandlers.withLockedValue { $0.append(handler) }
    }

    /// Emits an event to the other instances of the cluster (not to clients), unacknowledged.
    public func serverSideEmit(_ event: String, arguments: [SocketIOValue]) async {
        let data = [SocketIOValue.string(event)] + arguments
        await bus.publish(RedisAdapterRequest(uid: bus.uid, requestID: nil, kind: .serverSideEmit(data)), namespace: namespace)
    }

    /// Emits an event to the other instances and returns each one's acknowledgement.
    ///
    /// - Throws: `SocketIOAdapterError` when not every instance answered within the bus's
    ///   `requestTimeout` (an instance that is gone, or has no handler answering).
    public func serverSideEmitWithAck(_ event: String, arguments: [SocketIOValue]) async throws -> [SocketIOValue] {
        let data = [SocketIOValue.string(event)] + arguments
        return try await bus.request(.serverSideEmit(data), namespace: namespace).map { response in
            if case .serverSideEmit(let value) = response.kind { return value ?? .null }
            return .null
        }
    }

    /// Applies a broadcast another instance published, to local sockets only.
    func applyRemote(_ message: RedisAdapterMessage) async {
        var options = message.options
        options.local = true
        await local.broadcast(message.packet, options: options)
    }

    /// Applies or answers a request of another instance.
    func answer(_ request: RedisAdapterRequest) async {
        let requester = request.uid
        func respond(_ kind: RedisAdapterResponse.Kind) async {
            guard let id = request.requestID else { return }
            await bus.respond(RedisAdapterResponse(requestID: id, kind: kind), namespace: namespace, to: requester)
        }
        switch request.kind {
        case .sockets(let rooms): await respond(.socketIDs(await local.sockets(rooms: rooms).sorted()))
        case .allRooms: await respond(.rooms(await local.allRooms().sorted()))
        case .join(let options, let rooms): await local.addSockets(options, rooms: rooms)
        case .leave(let options, let rooms): await local.delSockets(options, rooms: rooms)
        case .disconnect(let options, let close): await local.disconnectSockets(options, close: close)
        case .fetch(let options): await respond(.sockets(await local.fetchSockets(options)))
        case .serverSideEmit(let data):
            guard let event = data.first?.stringValue else { return }
            let arguments = Array(data.dropFirst())
            var answer: SocketIOValue?
            for handler in serverSideHandlers.withLockedValue({ $0 }) {
                let result = await handler(event, arguments)
                if answer == nil { answer = result }
            }
            if let answer { await respond(.serverSideEmit(answer)) }
        case .broadcast(let packet, let options, let flags):
            let milliseconds = flags["timeout"]?.numberValue ?? 5000
            let timeout = Duration.milliseconds(Int64(max(0, min(milliseconds, 86_400_000))))
            let (bus, namespace) = (bus, namespace)
            let count = await local.emitWithAck(packet, options: options, timeout: timeout) { value in
                guard let id = request.requestID else { return }
                Task {
                    await bus.respond(
                        RedisAdapterResponse(requestID: id, kind: .broadcastAck(value)), namespace: namespace, to: requester)
                }
            }
            await respond(.broadcastClientCount(count))
        }
    }
}
