import HTTPCore
import NIOConcurrencyHelpers
import NIOCore
import WebSocketCore

/// One live Engine.IO session: an `EngineIOSession` state machine driven by real requests,
/// WebSockets and a timer.
///
/// Every event takes the socket's lock, feeds the state machine and performs its actions before
/// releasing it. Actions never block: a held GET is a continuation resumed later, WebSocket
/// writes are enqueued on the connection (framed and flushed on its event loop), the timer is a
/// callback scheduled on an event loop, and events for the Socket.IO layer are queued, then
/// handed over in order once the lock is released (to `events`, or to the receiver a
/// `SocketIOServer` attached). An idle session holds no task.
public final class EngineIOSocket: Sendable {
    /// The session id.
    public let sid: String
    /// The request that opened the session (headers, cookies, extensions such as the session).
    public let request: Request
    /// What the client sends, then how the session ended. Single consumer. Finished at once
    /// for the sessions of a `SocketIOServer`, which takes their events as they come.
    public var events: AsyncStream<EngineIOSocketEvent> { stream ?? AsyncStream { $0.finish() } }

    /// Takes the session's events, in order, outside the socket's lock.
    typealias Receiver = @Sendable (EngineIOSocketEvent) -> Void

    struct State {
        var session: EngineIOSession
        var heldPoll: CheckedContinuation<Response, Never>?
        /// Counts held GETs, so that a closed connection aborts only the GET it carried.
        var heldPollNumber = 0
        var webSocket: Outbound?
        var probe: Outbound?
        /// The id the WebSocket of the accepted upgrade handshake gets once it opens.
        var expectedProbeID: Int?
        var timer = EngineIOTimer()
        /// The session is closed but keeps its sid for the client's last GET (`lingerForFinalPoll`).
        var lingers = false
        var nextWebSocketID = 0
        var receiver: Receiver?
        /// Events waiting to be handed to `receiver`, and whether a thread is handing them over.
        var queuedEvents: [EngineIOSocketEvent] = []
        var isDelivering = false
        /// False until the open packet went out (`start`); what is sent before waits here, so
        /// that a v3 client's implicit CONNECT answer cannot pass its handshake.
        var isStarted = false
        var sentBeforeStart: [EngineIOPacket] = []
        /// The transport whose `engineio_sessions` gauge counts this session (nil once closed).
        var countedTransport: EngineIOTransport?
    }

    let state: NIOLockedValueBox<State>
    /// The event loop the session's timer runs on.
    let eventLoop: any EventLoop
    private let stream: AsyncStream<EngineIOSocketEvent>?
    private let onClosed: @Sendable (String) -> Void
    private let metrics: EngineIOMetrics

    /// A session whose events go to `events` (`streamsEvents`) or to the receiver attached with
    /// `receive(with:)` before its first action runs.
    init(
        sid: String, request: Request, session: EngineIOSession, webSocket: Outbound?, eventLoop: any EventLoop,
        streamsEvents: Bool, metrics: EngineIOMetrics, onClosed: @escaping @Sendable (String) -> Void
    ) {
        self.sid = sid
        self.request = request
        self.eventLoop = eventLoop
        var initial = State(session: session)
        initial.webSocket = webSocket
        initial.nextWebSocketID = 1
        initial.countedTransport = session.transport
        if let transport = session.transport { metrics.sessions(on: transport).increment() }
        self.metrics = metrics
        if streamsEvents {
            let (events, sink) = AsyncStream.makeStream(of: EngineIOSocketEvent.self, bufferingPolicy: .unbounded)
            stream = events
            initial.receiver = { event in
                sink.yield(event)
                if case .closed = event { sink.finish() }
            }
        } else {
            stream = nil
        }
        state = NIOLockedValueBox(initial)
        self.onClosed = onClosed
    }

    /// Attaches the receiver of a session made without an event stream.
    func receive(with receiver: @escaping Receiver) {
        state.withLockedValue { $0.receiver = receiver }
    }

    /// Runs `body` with the state locked, then hands the events it queued to the receiver.
    func withState<Result>(_ body: (inout State) -> Result) -> Result {
        let result = state.withLockedValue(body)
        deliverQueuedEvents()
        return result
    }

    /// Hands queued events to the receiver, in order, outside the lock. One thread at a time
    /// does it; events queued meanwhile (by it or by others) are handed over by that thread.
    private func deliverQueuedEvents() {
        var isDeliverer = false
        while true {
            let next = state.withLockedValue { state -> ([EngineIOSocketEvent], Receiver?)? in
                if !isDeliverer {
                    guard !state.isDelivering, !state.queuedEvents.isEmpty else { return nil }
                    state.isDelivering = true
                    isDeliverer = true
                }
                guard !state.queuedEvents.isEmpty else {
                    state.isDelivering = false
                    return nil
                }
                defer { state.queuedEvents.removeAll() }
                let receiver = state.receiver
                if state.queuedEvents.contains(where: { if case .closed = $0 { true } else { false } }) {
                    state.receiver = nil  // nothing follows; drop what it holds
                }
                return (state.queuedEvents, receiver)
            }
            guard let (events, receiver) = next else { return }
            for event in events { receiver?(event) }
        }
    }

    /// Whether a polling GET is held, waiting for packets (tests use it to order requests).
    var isHoldingPoll: Bool { state.withLockedValue { $0.heldPoll != nil } }

    /// The Engine.IO protocol revision the client speaks.
    public var protocolVersion: EngineIOProtocolVersion { state.withLockedValue { $0.session.format.protocolVersion } }

    /// The transport packets currently travel on (nil once closed).
    public var transport: EngineIOTransport? { state.withLockedValue { $0.session.transport } }

    // MARK: - Application side

    /// Sends packets to the client (buffered for the next GET on polling).
    public func send(_ packets: [EngineIOPacket]) {
        state.withLockedValue { state in
            guard state.isStarted else { return state.sentBeforeStart += packets }
            _ = perform(state.session.send(packets), in: &state)
        }
    }

    /// Sends pre-encoded WebSocket messages (shared by every socket of a broadcast).
    public func send(frames: [EngineIOFrame]) {
        state.withLockedValue { state in
            _ = perform(state.session.send(frames: frames), in: &state)
        }
    }

    /// The event loop of the session's WebSocket, if it is on WebSocket now: a broadcast groups
    /// its writes by loop (one hop per loop instead of one per socket).
    var webSocketEventLoop: (any EventLoop)? { state.withLockedValue { $0.webSocket?.webSocket.eventLoop } }

    /// Sends pre-encoded WebSocket messages with their frames already prepared (`prepared[i]`
    /// carries `frames[i]`): on WebSocket the same framed bytes are written for every socket of
    /// a broadcast; on polling `frames` are buffered as `send(frames:)` does.
    func send(frames: [EngineIOFrame], prepared: [WebSocketPreparedMessage]) {
        state.withLockedValue { state in
            if state.session.transport == .websocket, state.session.format.protocolVersion == .v4 {
                // What `session.send(frames:)` answers on WebSocket (`.sendFrames(frames)`), done
                // without building the action array: this runs for every socket of a broadcast.
                guard let webSocket = state.webSocket?.webSocket else { return }
                for message in prepared { webSocket.enqueue(message) }
            } else {
                _ = perform(state.session.send(frames: frames), in: &state)
            }
        }
    }

    /// Closes the session from the server side (reason `"forced close"`).
    public func close() {
        withState { state in
            _ = perform(state.session.close(now: .now()), in: &state)
        }
    }

    // MARK: - Transport events

    /// Runs the actions `EngineIOSession.open` returned; on polling, the handshake answer.
    /// Then sends what was sent before.
    func start(_ actions: [EngineIOSessionAction]) -> Response? {
        withState { state in
            let response = perform(actions, in: &state)
            state.isStarted = true
            if !state.sentBeforeStart.isEmpty {
                _ = perform(state.session.send(state.sentBeforeStart), in: &state)
                state.sentBeforeStart = []
            }
            return response
        }
    }

    /// A polling GET: answered at once, or held until packets are sent or the session ends.
    /// When the client goes away while it is held (`request.connection`), the session closes
    /// with `"transport close"` at once (engine.io's "poll connection closed prematurely").
    func poll(_ request: Request) async -> Response {
        await withCheckedContinuation { continuation in
            let held = withState { state -> Int? in
                if let response = perform(state.session.handlePoll(now: .now()), in: &state) {
                    continuation.resume(returning: response)
                } else if state.heldPoll == nil {
                    state.heldPoll = continuation
                    state.heldPollNumber += 1
                    return state.heldPollNumber
                } else {
                    continuation.resume(returning: Self.errorResponse(.badRequest))
                }
                return nil
            }
            guard let held, let connection = request.connection else { return }
            connection.onClose { [weak self] in self?.heldPollAborted(held) }
        }
    }

    private func heldPollAborted(_ number: Int) {
        withState { state in
            guard state.heldPoll != nil, state.heldPollNumber == number else { return }
            _ = perform(state.session.pollAborted(), in: &state)
        }
    }

    /// A polling POST with its whole body.
    func post(_ request: Request) -> Response {
        withState { state in
            if let refusal = perform(state.session.beginPost(contentLength: request.body.readableBytes), in: &state) {
                return refusal
            }
            return perform(state.session.finishPost(body: request.body, now: .now()), in: &state)
                ?? Self.errorResponse(.badRequest)
        }
    }

    /// What a WebSocket handshake naming this session decided (`EngineIOSession.beginUpgrade`).
    enum UpgradeDecision {
        /// Answer with this refusal.
        case refuse(Response)
        /// Accept; the WebSocket becomes the probe with this id once it opens.
        case probe(id: Int)
        /// Accept, then close the new WebSocket at once.
        case closeNewWebSocket
    }

    /// Lets the session decide on a (valid) WebSocket handshake naming it.
    func beginUpgrade() -> UpgradeDecision {
        withState { state in
            let actions = state.session.beginUpgrade(now: .now())
            if let refusal = perform(actions, in: &state) { return .refuse(refusal) }
            if actions.contains(.closeNewWebSocket) { return .closeNewWebSocket }
            let id = state.nextWebSocketID
            state.nextWebSocketID += 1
            state.expectedProbeID = id
            return .probe(id: id)
        }
    }

    private func timerFired() {
        withState { state in
            let now = NIODeadline.now()
            guard state.timer.fire(now: now) else { return }
            _ = perform(state.session.handleTimer(now: now), in: &state)
        }
    }

    /// The timer's callback: holds the socket until it runs or is cancelled.
    private struct TimerCallback: NIOScheduledCallbackHandler, Sendable {
        let socket: EngineIOSocket
        func handleScheduledCallback(eventLoop: some EventLoop) { socket.timerFired() }
    }

    // MARK: - Actions

    /// Performs the state machine's actions; returns the answer to the request being handled,
    /// if one was decided. Called with the lock held; never blocks. Events for the Socket.IO
    /// layer are only queued: `withState` hands them over once the lock is released.
    func perform(_ actions: [EngineIOSessionAction], in state: inout State) -> Response? {
        var current: Response?
        for action in actions {
            switch action {
            case .answerPoll(let packets):
                let response = Self.pollResponse(packets, format: state.session.format)
                if let held = state.heldPoll {
                    state.heldPoll = nil
                    held.resume(returning: response)
                } else if current == nil {
                    current = response
                }
            case .acknowledgePost:
                current = Response(
                    status: .ok, headers: ["Content-Type": "text/html"], body: .bytes(ByteBuffer(string: "ok")))
            case .refuseRequest(let error):
                current = Self.errorResponse(error)
            case .refusePayloadTooLarge:
                current = Response(status: .payloadTooLarge, headers: ["Content-Length": "0"])
            case .sendFrames(let frames):
                for frame in frames { state.webSocket?.write(frame) }
            case .sendProbeFrames(let frames):
                for frame in frames { state.probe?.write(frame) }
            case .closeNewWebSocket:
                break  // `beginUpgrade()` answers the handshake; its WebSocket is closed when it opens
            case .closeProbe:
                state.probe?.close()
                state.probe = nil
                state.expectedProbeID = nil
            case .upgraded:
                if state.countedTransport == .polling {
                    metrics.sessions(on: .polling).decrement()
                    metrics.sessions(on: .websocket).increment()
                    state.countedTransport = .websocket
                }
                state.webSocket = state.probe
                state.probe = nil
            case .closeWebSocket:
                state.webSocket?.close()
                state.webSocket = nil
            case .deliver(let data):
                state.queuedEvents.append(.message(data))
            case .scheduleTimer(let deadline):
                state.timer.arm(deadline, on: eventLoop, handler: TimerCallback(socket: self))
            case .closed(let reason):
                if let transport = state.countedTransport {
                    metrics.sessions(on: transport).decrement()
                    state.countedTransport = nil
                }
                state.timer.cancel()
                state.probe?.close()
                state.probe = nil
                state.webSocket?.close()
                state.webSocket = nil
                state.heldPoll?.resume(returning: Self.errorResponse(.unknownSession))
                state.heldPoll = nil
                state.queuedEvents.append(.closed(reason))
                if !state.lingers { onClosed(sid) }
            case .lingerForFinalPoll:
                state.lingers = true
            case .forget:
                state.lingers = false
                state.timer.cancel()
                onClosed(sid)
            }
        }
        return current
    }

    static func pollResponse(_ packets: [EngineIOPacket], format: EngineIOWireFormat) -> Response {
        let (body, contentType) = format.pollBody(packets)
        return Response(status: .ok, headers: ["Content-Type": contentType], body: .bytes(ByteBuffer(bytes: body)))
    }

    static func errorResponse(_ error: EngineIOHTTPError) -> Response {
        Response.json(encoded: error.json, status: HTTPResponseStatus(code: error.statusCode))
    }
}
