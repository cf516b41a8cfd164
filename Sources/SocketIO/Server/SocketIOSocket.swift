import JavaScriptFormats
import NIOConcurrencyHelpers
import NIOCore

/// One client connected to one namespace: its event handlers, emits (with acknowledgements),
/// rooms, broadcasts from it, and per-socket `data`.
public final class SocketIOSocket: Sendable {
    /// The event handler type: the arguments, and the answer callback when the client asked
    /// for an acknowledgement.
    public typealias EventHandler = @Sendable ([SocketIOValue], SocketIOAck?) async -> Void

    private struct State {
        var handlers: [String: [EventHandler]] = [:]
        var anyHandlers: [@Sendable (String, [SocketIOValue]) async -> Void] = []
        var disconnectHandlers: [@Sendable (SocketIODisconnectReason) async -> Void] = []
        var data: SocketIOObject
        var disconnectReason: SocketIODisconnectReason?
    }

    /// The socket id (distinct from the Engine.IO sid); every socket is in the room of its id.
    public let id: String
    /// The namespace the socket is connected to.
    public let namespace: SocketIONamespace
    /// The handshake: request (cookies, headers, session), auth payload.
    public let handshake: SocketIOHandshake
    /// The private session id a client sends back to recover this socket (`pid`), when the
    /// server recovers connections.
    public let privateID: String?
    /// Whether this socket is one that disconnected and came back within the recovery window,
    /// with its id, rooms, data and missed packets (socket.io's `socket.recovered`).
    public let recovered: Bool
    let client: SocketIOClient
    private let state: NIOLockedValueBox<State>

    init(
        id: String, namespace: SocketIONamespace, handshake: SocketIOHandshake, client: SocketIOClient,
        data: SocketIOObject, privateID: String? = nil, recovered: Bool = false
    ) {
        self.id = id
        self.namespace = namespace
        self.handshake = handshake
        self.client = client
        self.privateID = privateID
        self.recovered = recovered
        self.state = NIOLockedValueBox(State(data: data))
    }

    /// Application data attached to the socket (starts with what the middleware allowed with).
    public var data: SocketIOObject {
        get { state.withLockedValue { $0.data } }
        set { state.withLockedValue { $0.data = newValue } }
    }

    /// The Engine.IO session id of the underlying connection.
    public var engineID: String { client.engine.sid }

    /// True until the socket disconnects.
    public var connected: Bool { state.withLockedValue { $0.disconnectReason == nil } }

    // MARK: - Handlers

    /// Handles the client's event `event` (several handlers run in registration order).
    public func on(_ event: String, _ handler: @escaping EventHandler) {
        state.withLockedValue { $0.handlers[event, default: []].append(handler) }
    }

    /// Sees every event the client sends (name and arguments), before the named handlers.
    public func onAny(_ handler: @escaping @Sendable (String, [SocketIOValue]) async -> Void) {
        state.withLockedValue { $0.anyHandlers.append(handler) }
    }

    /// Runs when the socket leaves the namespace, with the reason (`"transport close"`,
    /// `"ping timeout"`, `"client namespace disconnect"`, `"server namespace disconnect"`, …).
    public func onDisconnect(_ handler: @escaping @Sendable (SocketIODisconnectReason) async -> Void) {
        state.withLockedValue { $0.disconnectHandlers.append(handler) }
    }

    // MARK: - Emitting

    /// Emits an event to this client (binary arguments are sent as attachments).
    public func emit(_ event: String, _ arguments: SocketIOValue...) { emit(event, arguments: arguments) }

    /// Emits an event to this client. With connection-state recovery the event is logged (and
    /// gets its offset) as a broadcast to the socket's own room, as socket.io does, so it is
    /// replayed if the client reconnects without having received it.
    public func emit(_ event: String, arguments: [SocketIOValue]) {
        guard let log = namespace.adapter.sessionLog else {
            return client.emit(namespace: namespace.name, event: event, arguments: arguments)
        }
        let packet = SocketIOPacket.event(event, arguments, namespace: namespace.name)
        log.record(packet, rooms: [id], except: []) { logged in
            client.emit(namespace: namespace.name, event: event, arguments: logged.arguments)
        }
    }

    /// Emits an event and waits for the client's acknowledgement; throws `SocketIOAckError`
    /// after `timeout` (none by default) or when the socket disconnects first.
    public func emitWithAck(_ event: String, _ arguments: SocketIOValue..., timeout: TimeAmount? = nil) async throws
        -> [SocketIOValue]
    {
        try await client.emitWithAck(namespace: namespace.name, event: event, arguments: arguments, timeout: timeout)
    }

    /// Emits an event and waits for the acknowledgement (see the variadic form).
    public func emitWithAck(_ event: String, arguments: [SocketIOValue], timeout: TimeAmount? = nil) async throws
        -> [SocketIOValue]
    {
        try await client.emitWithAck(namespace: namespace.name, event: event, arguments: arguments, timeout: timeout)
    }

    // MARK: - Rooms and broadcasts

    /// Joins rooms.
    /// Nothing once the socket is disconnected (its id may already belong to a recovered socket).
    public func join(_ rooms: String...) async {
        guard connected else { return }
        await namespace.adapter.addAll(id, rooms: Set(rooms))
    }

    /// Leaves a room; nothing once the socket is disconnected.
    public func leave(_ room: String) async {
        guard connected else { return }
        await namespace.adapter.delete(id, room: room)
    }

    /// The rooms the socket is in (its own id included).
    public var rooms: Set<String> {
        get async { ((try? await namespace.adapter.socketRooms(id)) ?? nil) ?? [] }
    }

    /// Every other socket of the namespace.
    public var broadcast: SocketIOBroadcastOperator { namespace.all.except(id) }

    /// The sockets in `rooms`, this one excluded.
    public func to(_ rooms: String...) -> SocketIOBroadcastOperator { namespace.all.to(rooms).except(id) }

    /// Every socket not in `rooms`, this one excluded.
    public func except(_ rooms: String...) -> SocketIOBroadcastOperator { namespace.all.except(rooms + [id]) }

    /// Disconnects the socket from its namespace (`"server namespace disconnect"`); with
    /// `close`, closes the whole connection.
    public func disconnect(close: Bool = false) {
        client.disconnect(namespace: namespace.name)
        if close { client.engine.close() }
    }

    // MARK: - Dispatch (called by the client)

    func dispatch(_ event: String, _ arguments: [SocketIOValue], ack: SocketIOAck?) async {
        let (any, named) = state.withLockedValue { ($0.anyHandlers, $0.handlers[event] ?? []) }
        for handler in any { await handler(event, arguments) }
        for handler in named { await handler(arguments, ack) }
    }

    /// Runs the disconnect handlers once, then drops every handler: they commonly capture the
    /// socket (`socket.on("x") { … socket.emit(…) }`), and keeping them would make the socket,
    /// its client and its Engine.IO connection a reference cycle that outlives the connection.
    func disconnected(_ reason: SocketIODisconnectReason) async {
        await runDisconnectHandlers(markDisconnected(reason), reason)
    }

    /// Marks the socket disconnected (`connected` false, `join`/`leave` do nothing, no more event
    /// handlers) and returns its disconnect handlers, for `runDisconnectHandlers`; empty when it
    /// already was.
    func markDisconnected(_ reason: SocketIODisconnectReason) -> [@Sendable (SocketIODisconnectReason) async -> Void] {
        state.withLockedValue { state in
            guard state.disconnectReason == nil else { return [] }
            state.disconnectReason = reason
            let handlers = state.disconnectHandlers
            state.handlers = [:]
            state.anyHandlers = []
            state.disconnectHandlers = []
            return handlers
        }
    }

    func runDisconnectHandlers(
        _ handlers: [@Sendable (SocketIODisconnectReason) async -> Void], _ reason: SocketIODisconnectReason
    ) async {
        for handler in handlers { await handler(reason) }
    }
}
