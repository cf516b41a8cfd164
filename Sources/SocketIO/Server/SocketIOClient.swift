import NIOConcurrencyHelpers
import NIOCore

/// Drives one client connection: feeds the Engine.IO session's messages to a
/// `SocketIOConnection` state machine and performs its actions — sends, middleware, connection
/// and event handlers, acknowledgements, timers, disconnects.
///
/// Messages are handled in order by `run`; the middleware and connection handlers of a CONNECT
/// finish before the next message is read; event handlers each run in their own task.
final class SocketIOClient: Sendable {
    struct AckKey: Hashable {
        let namespace: String
        let id: UInt64
    }

    struct State {
        var connection: SocketIOConnection
        var timer = EngineIOTimer()
        var sockets: [String: SocketIOSocket] = [:]
        var acks: [AckKey: CheckedContinuation<[SocketIOValue], any Error>] = [:]
    }

    /// Work that awaits application code; done outside the lock, in order.
    enum Work {
        case authorize(namespace: String, auth: SocketIOValue?)
        case connected(SocketIOSocket)
        case event(SocketIOSocket, name: String, arguments: [SocketIOValue], ackID: UInt64?)
        case disconnected(SocketIOSocket, SocketIODisconnectReason)
    }

    let engine: EngineIOSocket
    let namespaces: SocketIONamespaceRegistry
    let state: NIOLockedValueBox<State>
    private let pendingSockets = NIOLockedValueBox([String: SocketIOSocket]())

    init(engine: EngineIOSocket, namespaces: SocketIONamespaceRegistry, configuration: SocketIOConnection.Configuration)
    {
        self.engine = engine
        self.namespaces = namespaces
        let (connection, actions) = SocketIOConnection.open(configuration: configuration, now: .now())
        self.state = NIOLockedValueBox(State(connection: connection))
        let work = state.withLockedValue { perform(actions, in: &$0) }
        precondition(work.isEmpty, "opening a connection only arms its timer")
    }

    /// Handles the session's events until it closes.
    func run() async {
        for await event in engine.events {
            let work: [Work] = state.withLockedValue { state in
                switch event {
                case .message(let data):
                    let actions = state.connection.receive(data, now: .now()) { self.namespaces.serves($0) }
                    return perform(actions, in: &state)
                case .closed(let reason):
                    state.timer.cancel()
                    return perform(state.connection.engineClosed(reason), in: &state)
                }
            }
            await execute(work)
        }
    }

    // MARK: - Application calls

    func emit(namespace: String, event: String, arguments: [SocketIOValue]) {
        state.withLockedValue { state in
            let (_, actions) = state.connection.emit(
                namespace: namespace, event: event, arguments: arguments, now: .now())
            _ = perform(actions, in: &state)
        }
    }

    func emitWithAck(namespace: String, event: String, arguments: [SocketIOValue], timeout: TimeAmount?) async throws
        -> [SocketIOValue]
    {
        try await withCheckedThrowingContinuation { continuation in
            state.withLockedValue { state in
                let (id, actions) = state.connection.emit(
                    namespace: namespace, event: event, arguments: arguments, expectAck: true, ackTimeout: timeout,
                    now: .now())
                guard let id else { return continuation.resume(throwing: SocketIOAckError.disconnected) }
                state.acks[AckKey(namespace: namespace, id: id)] = continuation
                _ = perform(actions, in: &state)
            }
        }
    }

    func acknowledge(namespace: String, id: UInt64, arguments: [SocketIOValue]) {
        state.withLockedValue { state in
            _ = perform(state.connection.acknowledge(namespace: namespace, id: id, arguments: arguments), in: &state)
        }
    }

    func disconnect(namespace: String) {
        let work = state.withLockedValue { perform($0.connection.disconnect(namespace: namespace), in: &$0) }
        if !work.isEmpty { Task { await execute(work) } }
    }

    private func timerFired() {
        let work = state.withLockedValue { perform($0.connection.handleTimer(now: .now()), in: &$0) }
        if !work.isEmpty { Task { await execute(work) } }
    }

    // MARK: - Actions

    /// Performs what needs no waiting (with the lock held) and returns the rest.
    private func perform(_ actions: [SocketIOConnectionAction], in state: inout State) -> [Work] {
        var work: [Work] = []
        for action in actions {
            switch action {
            case .send(let packets):
                engine.send(packets)
            case .authorize(let namespace, let auth):
                work.append(.authorize(namespace: namespace, auth: auth))
            case .connected(let namespace, let socketID):
                guard let socket = pendingSockets.withLockedValue({ $0.removeValue(forKey: socketID) }) else {
                    continue
                }
                state.sockets[namespace] = socket
                work.append(.connected(socket))
            case .event(let namespace, let name, let arguments, let ackID):
                guard let socket = state.sockets[namespace] else { continue }
                work.append(.event(socket, name: name, arguments: arguments, ackID: ackID))
            case .ackReceived(let namespace, let id, let arguments):
                state.acks.removeValue(forKey: AckKey(namespace: namespace, id: id))?.resume(returning: arguments)
            case .ackTimedOut(let namespace, let id):
                state.acks.removeValue(forKey: AckKey(namespace: namespace, id: id))?
                    .resume(throwing: SocketIOAckError.timedOut)
            case .disconnected(let namespace, _, let reason):
                for key in Array(state.acks.keys) where key.namespace == namespace {
                    state.acks.removeValue(forKey: key)?.resume(throwing: SocketIOAckError.disconnected)
                }
                guard let socket = state.sockets.removeValue(forKey: namespace) else { continue }
                work.append(.disconnected(socket, reason))
            case .scheduleTimer(let deadline):
                state.timer.arm(deadline) { [weak self] in self?.timerFired() }
            case .closeEngine:
                engine.close()
            }
        }
        return work
    }

    private func execute(_ work: [Work]) async {
        for item in work {
            switch item {
            case .authorize(let name, let auth):
                await authorize(namespace: name, auth: auth)
            case .connected(let socket):
                socket.namespace.localSockets.add(socket)
                await socket.namespace.adapter.addAll(socket.id, rooms: [socket.id])
                await socket.namespace.handlers.connected(socket)
            case .event(let socket, let name, let arguments, let ackID):
                let ack = ackID.map { id in
                    SocketIOAck { [weak self] arguments in
                        self?.acknowledge(namespace: socket.namespace.name, id: id, arguments: arguments)
                    }
                }
                Task { await socket.dispatch(name, arguments, ack: ack) }
            case .disconnected(let socket, let reason):
                socket.namespace.localSockets.remove(socket.id)
                await socket.namespace.adapter.deleteAll(socket.id)
                await socket.disconnected(reason)
            }
        }
    }

    private func authorize(namespace name: String, auth: SocketIOValue?) async {
        guard let namespace = namespaces.resolve(name) else {
            let work = state.withLockedValue {
                perform($0.connection.refuse(namespace: name, message: "Invalid namespace"), in: &$0)
            }
            return await execute(work)
        }
        let handshake = SocketIOHandshake(request: engine.request, auth: auth, namespace: name)
        let work: [Work]
        switch await namespace.handlers.authorize(handshake) {
        case .refuse(let message, let data):
            work = state.withLockedValue {
                perform($0.connection.refuse(namespace: name, message: message, data: data), in: &$0)
            }
        case .allow(let data):
            let id = EngineIOServer.makeSID()
            let socket = SocketIOSocket(
                id: id, namespace: namespace, handshake: handshake, client: self, data: data ?? SocketIOObject())
            pendingSockets.withLockedValue { $0[id] = socket }
            work = state.withLockedValue { perform($0.connection.accept(namespace: name, socketID: id), in: &$0) }
            pendingSockets.withLockedValue { _ = $0.removeValue(forKey: id) }
        }
        await execute(work)
    }
}
