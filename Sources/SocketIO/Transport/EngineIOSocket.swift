import HTTPCore
import NIOConcurrencyHelpers
import NIOCore
import WebSocketCore

/// One live Engine.IO session: an `EngineIOSession` state machine driven by real requests,
/// WebSockets and a timer.
///
/// Every event takes the socket's lock, feeds the state machine and performs its actions before
/// releasing it. Actions never block: a held GET is a continuation resumed later, WebSocket
/// writes are enqueued on the connection (framed and flushed on its event loop), and messages for the
/// Socket.IO layer are yielded, in order, to `events`.
public final class EngineIOSocket: Sendable {
    /// The session id.
    public let sid: String
    /// The request that opened the session (headers, cookies, extensions such as the session).
    public let request: Request
    /// What the client sends, then how the session ended. Single consumer.
    public let events: AsyncStream<EngineIOSocketEvent>

    struct State {
        var session: EngineIOSession
        var heldPoll: CheckedContinuation<Response, Never>?
        /// Counts held GETs, so that a closed connection aborts only the GET it carried.
        var heldPollNumber = 0
        var webSocket: Outbound?
        var probe: Outbound?
        var timer = EngineIOTimer()
        var nextWebSocketID = 0
    }

    let state: NIOLockedValueBox<State>
    private let eventSink: AsyncStream<EngineIOSocketEvent>.Continuation
    private let onClosed: @Sendable (String) -> Void

    init(
        sid: String, request: Request, session: EngineIOSession, webSocket: Outbound?,
        onClosed: @escaping @Sendable (String) -> Void
    ) {
        self.sid = sid
        self.request = request
        let (events, eventSink) = AsyncStream.makeStream(of: EngineIOSocketEvent.self, bufferingPolicy: .unbounded)
        self.events = events
        self.eventSink = eventSink
        var initial = State(session: session)
        initial.webSocket = webSocket
        initial.nextWebSocketID = 1
        state = NIOLockedValueBox(initial)
        self.onClosed = onClosed
    }

    /// The transport packets currently travel on (nil once closed).
    public var transport: EngineIOTransport? { state.withLockedValue { $0.session.transport } }

    // MARK: - Application side

    /// Sends packets to the client (buffered for the next GET on polling).
    public func send(_ packets: [EngineIOPacket]) {
        state.withLockedValue { state in
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
    var webSocketEventLoop: (any EventLoop)? { state.withLockedValue { $0.webSocket?.eventLoop } }

    /// Sends pre-encoded WebSocket messages with their frames already prepared (`prepared[i]`
    /// carries `frames[i]`): on WebSocket the same framed bytes are written for every socket of
    /// a broadcast; on polling `frames` are buffered as `send(frames:)` does.
    func send(frames: [EngineIOFrame], prepared: [WebSocketPreparedMessage]) {
        state.withLockedValue { state in
            for action in state.session.send(frames: frames) {
                if case .sendFrames = action, let outbound = state.webSocket {
                    for message in prepared { outbound.enqueue(message) }
                } else {
                    _ = perform([action], in: &state)
                }
            }
        }
    }

    /// Closes the session from the server side (reason `"forced close"`).
    public func close() {
        state.withLockedValue { state in
            _ = perform(state.session.close(now: .now()), in: &state)
        }
    }

    // MARK: - Transport events

    /// Runs the actions `EngineIOSession.open` returned; on polling, the handshake answer.
    func start(_ actions: [EngineIOSessionAction]) -> Response? {
        state.withLockedValue { perform(actions, in: &$0) }
    }

    /// A polling GET: answered at once, or held until packets are sent or the session ends.
    /// When the client goes away while it is held (`request.connection`), the session closes
    /// with `"transport error"`, as engine.io's "poll connection closed prematurely".
    func poll(_ request: Request) async -> Response {
        await withCheckedContinuation { continuation in
            let held = state.withLockedValue { state -> Int? in
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
        state.withLockedValue { state in
            guard state.heldPoll != nil, state.heldPollNumber == number else { return }
            _ = perform(state.session.pollAborted(), in: &state)
        }
    }

    /// A polling POST with its whole body.
    func post(_ request: Request) -> Response {
        state.withLockedValue { state in
            if let refusal = perform(state.session.beginPost(contentLength: request.body.readableBytes), in: &state) {
                return refusal
            }
            return perform(state.session.finishPost(body: request.body, now: .now()), in: &state)
                ?? Self.errorResponse(.badRequest)
        }
    }

    /// A WebSocket handshake naming this session: nil when the upgrade may go ahead, or the
    /// refusal to answer.
    func beginUpgrade() -> Response? {
        state.withLockedValue { perform($0.session.beginUpgrade(now: .now()), in: &$0) }
    }

    private func timerFired() {
        state.withLockedValue { state in
            _ = perform(state.session.handleTimer(now: .now()), in: &state)
        }
    }

    // MARK: - Actions

    /// Performs the state machine's actions; returns the answer to the request being handled,
    /// if one was decided. Called with the lock held; never blocks.
    func perform(_ actions: [EngineIOSessionAction], in state: inout State) -> Response? {
        var current: Response?
        for action in actions {
            switch action {
            case .answerPoll(let packets):
                let response = Self.pollResponse(packets)
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
            case .closeProbe:
                state.probe?.close()
                state.probe = nil
            case .upgraded:
                state.webSocket = state.probe
                state.probe = nil
            case .closeWebSocket:
                state.webSocket?.close()
                state.webSocket = nil
            case .deliver(let data):
                eventSink.yield(.message(data))
            case .scheduleTimer(let deadline):
                state.timer.arm(deadline) { [weak self] in self?.timerFired() }
            case .closed(let reason):
                state.timer.cancel()
                state.probe?.close()
                state.probe = nil
                state.webSocket?.close()
                state.webSocket = nil
                state.heldPoll?.resume(returning: Self.errorResponse(.unknownSession))
                state.heldPoll = nil
                eventSink.yield(.closed(reason))
                eventSink.finish()
                onClosed(sid)
            }
        }
        return current
    }

    static func pollResponse(_ packets: [EngineIOPacket]) -> Response {
        Response(
            status: .ok, headers: ["Content-Type": "text/plain; charset=UTF-8"],
            body: .bytes(ByteBuffer(bytes: EngineIOPayload.encode(packets))))
    }

    static func errorResponse(_ error: EngineIOHTTPError) -> Response {
        Response.json(encoded: error.json, status: HTTPResponseStatus(code: error.statusCode))
    }
}
