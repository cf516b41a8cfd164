import JavaScriptFormats

/// A selection of a namespace's sockets — by rooms, minus excluded rooms — to emit to or act on.
/// Built with `namespace.to(…)`, `namespace.except(…)`, `socket.broadcast`, `socket.to(…)`.
public struct SocketIOBroadcastOperator: Sendable {
    /// The namespace the selection is in.
    public let namespace: SocketIONamespace
    /// The rooms and exclusions selected.
    public var options: SocketIOBroadcastOptions

    init(namespace: SocketIONamespace, options: SocketIOBroadcastOptions = SocketIOBroadcastOptions()) {
        self.namespace = namespace
        self.options = options
    }

    /// Also targets `rooms`.
    public func to(_ rooms: String...) -> SocketIOBroadcastOperator { to(rooms) }

    /// Also targets `rooms`.
    public func to(_ rooms: [String]) -> SocketIOBroadcastOperator {
        var copy = self
        copy.options.rooms.formUnion(rooms)
        return copy
    }

    /// Excludes the members of `rooms`.
    public func except(_ rooms: String...) -> SocketIOBroadcastOperator { except(rooms) }

    /// Excludes the members of `rooms`.
    public func except(_ rooms: [String]) -> SocketIOBroadcastOperator {
        var copy = self
        copy.options.except.formUnion(rooms)
        return copy
    }

    /// Only sockets connected to this instance (no forwarding to other instances).
    public var local: SocketIOBroadcastOperator {
        var copy = self
        copy.options.local = true
        return copy
    }

    /// Emits an event to the selected sockets (binary arguments are sent as attachments).
    public func emit(_ event: String, _ arguments: SocketIOValue...) async { await emit(event, arguments: arguments) }

    /// Emits an event to the selected sockets.
    public func emit(_ event: String, arguments: [SocketIOValue]) async {
        let packet = SocketIOPacket.event(event, arguments, namespace: namespace.name)
        namespace.metrics.broadcasts.increment()
        await namespace.adapter.broadcast(packet, options: options)
    }

    /// Emits an event to the selected sockets (on every instance unless `local`) and waits for
    /// each one's acknowledgement, as socket.io's `timeout(ms).emitWithAck(…)`: returns the first
    /// argument of every answer.
    ///
    /// - Throws: `SocketIOAckError.timedOut` when not every selected socket (or not every
    ///   instance) answered within `timeout`.
    public func emitWithAck(_ event: String, arguments: [SocketIOValue], timeout: Duration) async throws -> [SocketIOValue] {
        let packet = SocketIOPacket.event(event, arguments, namespace: namespace.name)
        return try await namespace.adapter.broadcastWithAck(packet, options: options, timeout: timeout)
    }

    /// Makes the selected sockets join `rooms`.
    public func socketsJoin(_ rooms: String...) async { await namespace.adapter.addSockets(options, rooms: Set(rooms)) }

    /// Makes the selected sockets leave `rooms`.
    public func socketsLeave(_ rooms: String...) async {
        await namespace.adapter.delSockets(options, rooms: Set(rooms))
    }

    /// Disconnects the selected sockets (reason `"server namespace disconnect"`); with `close`,
    /// their whole connections too.
    public func disconnectSockets(close: Bool = false) async {
        await namespace.adapter.disconnectSockets(options, close: close)
    }

    /// The selected sockets, on every instance sharing the adapter unless `local`; operations on
    /// them are forwarded to the instance that owns each.
    ///
    /// - Throws: `SocketIOAdapterError` when another instance did not answer in time (Redis
    ///   adapter; the in-memory adapter never throws).
    public func fetchSockets() async throws -> [SocketIORemoteSocket] {
        try await namespace.adapter.fetchSockets(options).map { SocketIORemoteSocket(details: $0, namespace: namespace) }
    }

    /// The ids of the selected sockets, on every instance sharing the adapter unless `local`.
    ///
    /// - Throws: `SocketIOAdapterError` as `fetchSockets()`.
    public func socketIDs() async throws -> [String] { try await namespace.adapter.fetchSockets(options).map(\.id) }
}
