import JavaScriptFormats
import NIOConcurrencyHelpers
import NIOCore

/// Drives one client connection: feeds the Engine.IO session's messages to a
/// `SocketIOConnection` state machine and performs its actions — sends, middleware, connection
/// and event handlers, acknowledgements, timers, disconnects.
///
/// The session hands its events to `receive` in order, on the thread that caused them. What
/// needs no waiting is done right there; the middleware and connection handlers of a CONNECT
/// (and the adapter's bookkeeping) run in a task, and events that come meanwhile wait in a
/// backlog until they finish, so they are still handled in order. Event handlers each run in
/// their own task. An idle connection holds no task.
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
        /// The socket whose CONNECT the middleware just allowed, while `accept` runs.
        var accepting: SocketIOSocket?
        /// The recovered session of `accepting`, if it is a recovered socket.
        var restoring: SocketIOSessionLog.Session?
        /// True while a task performs awaited work; events wait in `backlog` meanwhile.
        var isBusy = false
        var backlog: [EngineIOSocketEvent] = []
    }

    /// Work that is done outside the lock, in order.
    enum Work {
        case authorize(namespace: String, auth: SocketIOValue?)
        case connected(SocketIOSocket, reply: [EngineIOPacket], restored: SocketIOSessionLog.Session?)
        case event(SocketIOSocket, name: String, arguments: [SocketIOValue], ackID: UInt64?)
        case disconnected(SocketIOSocket, SocketIODisconnectReason)
        case closeEngine

        /// Whether it awaits application or adapter code (so it runs in a task).
        var waits: Bool {
            switch self {
            case .authorize, .connected, .disconnected: return true
            case .event, .closeEngine: return false
            }
        }
    }

    let engine: EngineIOSocket
    let namespaces: SocketIONamespaceRegistry
    let state: NIOLockedValueBox<State>

    init(engine: EngineIOSocket, namespaces: SocketIONamespaceRegistry, configuration: SocketIOConnection.Configuration)
    {
        self.engine = engine
        self.namespaces = namespaces
        let (connection, actions) = SocketIOConnection.open(
            configuration: configuration, engineProtocol: engine.protocolVersion, now: .now())
        self.state = NIOLockedValueBox(State(connection: connection))
        let work = state.withLockedValue { state in
            let work = perform(actions, in: &state)
            if work.contains(where: \.waits) { state.isBusy = true }
            return work
        }
        // Over Engine.IO v3 the CONNECT to `/` is implicit: its middleware runs now, and the
        // session's first events wait in the backlog until it is done.
        if work.contains(where: \.waits) { Task { await executeThenDrainBacklog(work) } }
    }

    /// Handles one event of the session. The session calls it in order and never concurrently.
    func receive(_ event: EngineIOSocketEvent) {
        let work: [Work]? = state.withLockedValue { state in
            if state.isBusy {
                state.backlog.append(event)
                return nil
            }
            let work = handle(event, in: &state)
            if work.contains(where: \.waits) { state.isBusy = true }
            return work
        }
        guard let work else { return }
        if work.contains(where: \.waits) {
            Task { await executeThenDrainBacklog(work) }
        } else {
            executeWithoutWaiting(work)
        }
    }

    private func handle(_ event: EngineIOSocketEvent, in state: inout State) -> [Work] {
        switch event {
        case .message(let data):
            let actions = state.connection.receive(data, now: .now()) { self.namespaces.serves($0) }
            return perform(actions, in: &state)
        case .closed(let reason):
            state.timer.cancel()
            return perform(state.connection.engineClosed(reason), in: &state)
        }
    }

    /// Performs `work`, then the events that came meanwhile, until none is left.
    private func executeThenDrainBacklog(_ work: [Work]) async {
        var work = work
        while true {
            await execute(work)
            let next: [Work]? = state.withLockedValue { state in
                guard !state.backlog.isEmpty else {
                    state.isBusy = false
                    state.backlog = []
                    return nil
                }
                return handle(state.backlog.removeFirst(), in: &state)
            }
            guard let next else { return }
            work = next
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
        let work = state.withLockedValue { state -> [Work] in
            let now = NIODeadline.now()
            guard state.timer.fire(now: now) else { return [] }
            return perform(state.connection.handleTimer(now: now), in: &state)
        }
        if work.contains(where: \.waits) {
            Task { await execute(work) }
        } else {
            executeWithoutWaiting(work)
        }
    }

    /// The timer's callback: holds the client until it runs or is cancelled.
    private struct TimerCallback: NIOScheduledCallbackHandler, Sendable {
        let client: SocketIOClient
        func handleScheduledCallback(eventLoop: some EventLoop) { client.timerFired() }
    }

    // MARK: - Actions

    /// Performs what needs no waiting and no other lock (with the lock held) and returns the rest.
    private func perform(_ actions: [SocketIOConnectionAction], in state: inout State) -> [Work] {
        var work: [Work] = []
        for action in actions {
            switch action {
            case .send(let packets):
                engine.send(packets)
            case .authorize(let namespace, let auth):
                work.append(.authorize(namespace: namespace, auth: auth))
            case .connected(let namespace, let socketID, let reply):
                guard let socket = state.accepting, socket.id == socketID else { continue }
                state.accepting = nil
                state.sockets[namespace] = socket
                work.append(.connected(socket, reply: reply, restored: state.restoring))
                state.restoring = nil
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
                state.timer.arm(deadline, on: engine.eventLoop, handler: TimerCallback(client: self))
            case .closeEngine:
                // Outside the lock: the session reports its end to `receive` at once.
                work.append(.closeEngine)
            }
        }
        return work
    }

    /// Performs work none of which waits (`Work.waits` is false for all).
    private func executeWithoutWaiting(_ work: [Work]) {
        for item in work {
            switch item {
            case .event(let socket, let name, let arguments, let ackID):
                dispatch(name, arguments, ackID: ackID, to: socket)
            case .closeEngine:
                engine.close()
            case .authorize, .connected, .disconnected:
                assertionFailure("awaited work outside a task")
            }
        }
    }

    private func execute(_ work: [Work]) async {
        for item in work {
            switch item {
            case .authorize(let name, let auth):
                await authorize(namespace: name, auth: auth)
            case .connected(let socket, let reply, let restored):
                // As socket.io does: in the adapter, then listed for broadcasts as the CONNECT answer
                // goes out, then the handlers. No broadcast reaches the client before the answer,
                // and none made after it has the answer misses the socket.
                let namespace = socket.namespace
                if let restored, let log = namespace.adapter.sessionLog, let offset = restored.offset {
                    // A recovered socket gets its rooms back and the packets it missed right
                    // behind the answer, taken in the adapter step that lists it: every
                    // broadcast is either among them or sent to the listed socket, never both.
                    let rooms = restored.rooms.union([socket.id])
                    await namespace.adapter.join(socket.id, rooms: rooms) {
                        var announcing = reply
                        for packet in log.missedPackets(after: offset, rooms: rooms) {
                            announcing += SocketIOPacketEncoder.encode(packet).engineIOPackets
                        }
                        namespace.localSockets.list(socket, announcing: announcing)
                    }
                } else {
                    await namespace.adapter.addAll(socket.id, rooms: [socket.id])
                    await namespace.localSockets.add(socket, announcing: reply)
                }
                await namespace.handlers.connected(socket)
            case .event(let socket, let name, let arguments, let ackID):
                dispatch(name, arguments, ackID: ackID, to: socket)
            case .disconnected(let socket, let reason):
                // Marked first: from here the old socket's `join`/`leave` (in its disconnect
                // handlers, say) cannot touch the rooms of a socket that recovers its id.
                let handlers = socket.markDisconnected(reason)
                socket.namespace.localSockets.remove(socket.id)
                let adapter = socket.namespace.adapter
                if let log = adapter.sessionLog, let privateID = socket.privateID,
                    SocketIOSessionLog.isRecoverable(reason)
                {
                    // Out of its rooms before the session is kept: a client recovering it at once
                    // joins them again, and this socket's removal cannot undo that.
                    let rooms = ((try? await adapter.socketRooms(socket.id)) ?? nil) ?? [socket.id]
                    await adapter.deleteAll(socket.id)
                    log.persist(
                        SocketIOSessionLog.Session(
                            socketID: socket.id, privateID: privateID, rooms: rooms, data: socket.data))
                } else {
                    await adapter.deleteAll(socket.id)
                }
                await socket.runDisconnectHandlers(handlers, reason)
            case .closeEngine:
                engine.close()
            }
        }
    }

    /// Runs the socket's handlers for one event in a task of their own.
    private func dispatch(_ name: String, _ arguments: [SocketIOValue], ackID: UInt64?, to socket: SocketIOSocket) {
        let ack = ackID.map { id in
            SocketIOAck { [weak self] arguments in
                self?.acknowledge(namespace: socket.namespace.name, id: id, arguments: arguments)
            }
        }
        Task { await socket.dispatch(name, arguments, ack: ack) }
    }

    private func authorize(namespace name: String, auth: SocketIOValue?) async {
        guard let namespace = namespaces.resolve(name) else {
            let work = state.withLockedValue {
                perform($0.connection.refuse(namespace: name, message: "Invalid namespace"), in: &$0)
            }
            return await execute(work)
        }
        let handshake = SocketIOHandshake(request: engine.request, auth: auth, namespace: name)
        let log = namespace.adapter.sessionLog
        let restored = log.flatMap { restore(from: $0, auth: auth) }
        let verdict: SocketIOMiddlewareResult.Verdict
        if let log, restored != nil, log.configuration.skipMiddlewares {
            verdict = .allow(nil)
        } else {
            verdict = await namespace.handlers.authorize(handshake)
        }
        let work: [Work]
        switch verdict {
        case .refuse(let message, let data):
            if let log, let restored { log.putBack(restored) }
            work = state.withLockedValue {
                perform($0.connection.refuse(namespace: name, message: message, data: data), in: &$0)
            }
        case .allow(let data):
            let id = restored?.socketID ?? EngineIOServer.makeSID()
            // Engine.IO v3 clients do not recover: no pid for them.
            let privateID =
                restored?.privateID ?? (log == nil || engine.protocolVersion == .v3 ? nil : EngineIOServer.makeSID())
            let socket = SocketIOSocket(
                id: id, namespace: namespace, handshake: handshake, client: self,
                data: (restored?.data ?? SocketIOObject()).merging(data ?? SocketIOObject()), privateID: privateID,
                recovered: restored != nil)
            let unused: SocketIOSessionLog.Session?
            (work, unused) = state.withLockedValue { state in
                state.accepting = socket
                state.restoring = restored
                defer {
                    state.accepting = nil
                    state.restoring = nil
                }
                let work = perform(
                    state.connection.accept(namespace: name, socketID: id, privateID: privateID), in: &state)
                return (work, state.restoring)
            }
            // The connection ended while the middleware ran: the session stays recoverable.
            if let log, let unused { log.putBack(unused) }
        }
        await execute(work)
    }

    /// The session a CONNECT's `{"pid":…,"offset":…}` names, if the log can restore it (never
    /// over Engine.IO v3, whose clients do not recover).
    private func restore(from log: SocketIOSessionLog, auth: SocketIOValue?) -> SocketIOSessionLog.Session? {
        guard engine.protocolVersion != .v3, let auth = auth?.objectValue,
            let privateID = auth["pid"]?.stringValue, let offset = auth["offset"]?.stringValue
        else { return nil }
        return log.restore(privateID: privateID, offset: offset)
    }
}
