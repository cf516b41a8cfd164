import HTTPCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import WebSocketCore

/// An Engine.IO v4 (and, with `allowEIO3`, v3) server mounted in an HTTPCore `App` as a
/// middleware: it answers requests to its path (polling GET/POST, WebSocket handshakes and
/// upgrades) and passes the others on.
///
/// ```swift
/// let engine = EngineIOServer(configuration: .init(path: "/engine.io/")) { socket in
///     Task { for await event in socket.events { ... } }
/// }
/// app.use(engine)   // after cookie/session middleware, so handshakes carry their values
/// ```
///
/// Malformed requests (bad `EIO`, transport, sid or method) get HTTP 400 with
/// `{"code":N,"message":"…"}`; handshakes refused by the origin allow-list or `allowRequest` get
/// 403 `{"code":4,"message":"Forbidden"}` (or `allowRequest`'s message); CORS from the configuration applies to every answer.
public final class EngineIOServer: Middleware, Sendable {
    /// The server's settings.
    public let configuration: EngineIOServerConfiguration
    private let sessions = NIOLockedValueBox([String: EngineIOSocket]())
    private let connect: Connect
    private let metrics: EngineIOMetrics

    /// How new sessions reach the application.
    private enum Connect: Sendable {
        /// Announced to `onConnection`; their events go to `EngineIOSocket.events`.
        case stream(@Sendable (EngineIOSocket) -> Void)
        /// Their events go, as they come, to the receiver made for them (a `SocketIOServer`'s).
        case receiver(@Sendable (EngineIOSocket) -> EngineIOSocket.Receiver)
    }

    /// A server calling `onConnection` for every new session, before its first packet is
    /// handled; it must not block (consume `socket.events` in a task).
    public init(
        configuration: EngineIOServerConfiguration = EngineIOServerConfiguration(),
        onConnection: @escaping @Sendable (EngineIOSocket) -> Void
    ) {
        self.configuration = configuration
        self.metrics = EngineIOMetrics(factory: configuration.metrics)
        self.connect = .stream(onConnection)
    }

    /// A server handing the events of every new session to the receiver `makeReceiver` returns
    /// for it, before its first packet is handled: on the thread that caused them, in order,
    /// outside the session's lock, without a task or stream per session. The receiver must not
    /// block.
    init(
        configuration: EngineIOServerConfiguration,
        makeReceiver: @escaping @Sendable (EngineIOSocket) -> EngineIOSocket.Receiver
    ) {
        self.configuration = configuration
        self.metrics = EngineIOMetrics(factory: configuration.metrics)
        self.connect = .receiver(makeReceiver)
    }

    /// The number of open sessions (counting, for at most 5 s, one its client closed over
    /// polling while the client's last GET may still arrive).
    public var sessionCount: Int { sessions.withLockedValue { $0.count } }

    /// The live session with this id, if any.
    public func socket(sid: String) -> EngineIOSocket? { sessions.withLockedValue { $0[sid] } }

    /// Closes every session (reason `"forced close"`); held polls are answered with the close
    /// packet. Call it before shutting the HTTP server down.
    public func closeAll() {
        for socket in sessions.withLockedValue({ Array($0.values) }) { socket.close() }
    }

    /// Answers requests to the Engine.IO path; passes the others to `next`.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        guard matches(request.path) else { return try await next(request) }
        guard let cors = configuration.cors else { return await respond(to: request) }
        return try await cors.handle(request) { request in await self.respond(to: request) }
    }

    /// True for requests to other paths than the Engine.IO one (the router skips this layer).
    public func passesOn(_ request: Request) -> Bool { !matches(request.path) }

    private func matches(_ path: Substring) -> Bool {
        let mounted = configuration.path
        if path == mounted { return true }
        return mounted.hasSuffix("/") && path == mounted.dropLast()
    }

    /// The Engine.IO answer to one request on the path.
    func respond(to request: Request) async -> Response {
        let isWebSocket =
            request.head.isUpgrade && request.headers["Upgrade"]?.lowercased() == "websocket"
        let classified = EngineIORequest.classify(
            method: request.method, query: request.head.query, isWebSocketUpgrade: isWebSocket,
            allowedTransports: configuration.transports, allowEIO3: configuration.engine.allowEIO3)
        if case .success(.handshake) = classified, let refusal = await configuration.refusal(of: request) {
            return EngineIOSocket.errorResponse(refusal)
        }
        switch classified {
        case .failure(let error):
            return EngineIOSocket.errorResponse(error)
        case .success(.handshake(.polling)):
            let sid = Self.makeSID()
            let (session, actions) = EngineIOSession.open(
                sid: sid, transport: .polling, configuration: configuration.engine,
                format: EngineIOWireFormat(query: request.head.query), now: .now())
            let socket = register(
                sid: sid, request: request, session: session, webSocket: nil,
                eventLoop: MultiThreadedEventLoopGroup.singleton.any())
            guard let open = socket.start(actions) else { return EngineIOSocket.errorResponse(.badRequest) }
            return configuration.compressed(open, for: request)
        case .success(.handshake(.websocket)):
            return webSocketResponse(for: request) { webSocket in
                self.openWebSocketSession(webSocket, request: request)
            }
        case .success(.poll(let sid)):
            guard let socket = socket(sid: sid) else { return EngineIOSocket.errorResponse(.unknownSession) }
            return configuration.compressed(await socket.poll(request), for: request)
        case .success(.post(let sid)):
            guard let socket = socket(sid: sid) else { return EngineIOSocket.errorResponse(.unknownSession) }
            return socket.post(request)
        case .success(.upgrade(let sid)):
            guard let socket = socket(sid: sid) else { return EngineIOSocket.errorResponse(.unknownSession) }
            return socket.upgradeResponse { open in webSocketResponse(for: request, open: open) }
        }
    }

    /// Opens a session on a new WebSocket (on its event loop, before anything is read from it).
    private func openWebSocketSession(_ webSocket: WebSocketWriter, request: Request) -> WebSocketCallbacks {
        let sid = Self.makeSID()
        let (session, actions) = EngineIOSession.open(
            sid: sid, transport: .websocket, configuration: configuration.engine,
            format: EngineIOWireFormat(query: request.head.query), now: .now())
        let socket = register(
            sid: sid, request: request, session: session, webSocket: .init(id: 0, webSocket: webSocket),
            eventLoop: webSocket.eventLoop)
        let callbacks = socket.callbacks(forWebSocket: 0)
        _ = socket.start(actions)
        return callbacks
    }

    private func register(
        sid: String, request: Request, session: EngineIOSession, webSocket: EngineIOSocket.Outbound?,
        eventLoop: any EventLoop
    ) -> EngineIOSocket {
        let streamsEvents: Bool
        if case .stream = connect { streamsEvents = true } else { streamsEvents = false }
        let socket = EngineIOSocket(
            sid: sid, request: request.compacted(), session: session, webSocket: webSocket, eventLoop: eventLoop,
            streamsEvents: streamsEvents, metrics: metrics
        ) { [weak self] sid in
            self?.sessions.withLockedValue { _ = $0.removeValue(forKey: sid) }
        }
        sessions.withLockedValue { $0[sid] = socket }
        switch connect {
        case .stream(let onConnection): onConnection(socket)
        case .receiver(let makeReceiver): socket.receive(with: makeReceiver(socket))
        }
        return socket
    }

    private func webSocketResponse(
        for request: Request, open: @escaping @Sendable (WebSocketWriter) -> WebSocketCallbacks
    ) -> Response {
        let settings = WebSocketConfiguration(
            maxFrameSize: configuration.engine.maxPayload, maxMessageSize: configuration.engine.maxPayload,
            compression: configuration.perMessageDeflate, originPolicy: .any, autoPing: .disabled)
        let upgrader = WebSocketUpgrader(configuration: settings, open: open)
        do {
            return try upgrader.response(for: request)
        } catch {
            return EngineIOSocket.errorResponse(.badRequest)
        }
    }

    /// A fresh session id: 20 URL-safe random characters.
    static func makeSID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        for _ in 0..<20 { bytes.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
