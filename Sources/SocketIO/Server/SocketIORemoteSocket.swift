import JavaScriptFormats

/// A socket found by `fetchSockets()`, connected to this instance or to another one sharing the
/// adapter: a snapshot of its id, rooms, data and handshake, whose operations are forwarded to the
/// instance that owns it (as socket.io's `RemoteSocket`: a broadcast to the room of its id).
public struct SocketIORemoteSocket: Sendable {
    /// What the owning instance reported when queried.
    public let details: SocketIOSocketDetails
    /// The namespace the socket is connected to.
    public let namespace: SocketIONamespace

    init(details: SocketIOSocketDetails, namespace: SocketIONamespace) {
        self.details = details
        self.namespace = namespace
    }

    /// The socket id.
    public var id: String { details.id }
    /// The rooms it was in when queried.
    public var rooms: Set<String> { details.rooms }
    /// Its application data when queried.
    public var data: SocketIOObject { details.data }
    /// Its handshake basics.
    public var handshake: SocketIOSocketDetails.Handshake { details.handshake }

    private var target: SocketIOBroadcastOperator { namespace.all.to(details.id) }

    /// Emits an event to the socket, wherever it is connected.
    public func emit(_ event: String, _ arguments: SocketIOValue...) async {
        await target.emit(event, arguments: arguments)
    }

    /// Emits an event to the socket, wherever it is connected.
    public func emit(_ event: String, arguments: [SocketIOValue]) async { await target.emit(event, arguments: arguments) }

    /// Makes the socket join `rooms`.
    public func join(_ rooms: String...) async { await namespace.adapter.addSockets(target.options, rooms: Set(rooms)) }

    /// Makes the socket leave `rooms`.
    public func leave(_ rooms: String...) async { await namespace.adapter.delSockets(target.options, rooms: Set(rooms)) }

    /// Disconnects the socket (`"server namespace disconnect"`); with `close`, its whole connection.
    public func disconnect(close: Bool = false) async { await target.disconnectSockets(close: close) }
}
