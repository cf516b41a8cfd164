import HTTPCore
import NIOCore
import Testing

@testable import SocketIO

/// Engine.IO races between two requests of one session, in both orders, through the real
/// middleware (and, for WebSockets, over loopback TCP). The order is decided by the test: it
/// waits for a GET to be held, or for an upgrade to finish, before the next request starts.
@Suite("Engine.IO transports: close and upgrade races")
struct TransportConformanceTests {
    private static let configuration = EngineIOServerConfiguration(
        engine: EngineIOConfiguration(pingInterval: .seconds(120), pingTimeout: .seconds(120)))

    private static func makeEngine(
        _ configuration: EngineIOServerConfiguration = configuration
    ) -> (EngineIOServer, AsyncStream<EngineIOSocket>) {
        let (sockets, sink) = AsyncStream.makeStream(of: EngineIOSocket.self)
        return (EngineIOServer(configuration: configuration) { sink.yield($0) }, sockets)
    }

    private static func send(
        _ engine: EngineIOServer, _ method: HTTPMethod, _ target: String, body: String = ""
    ) async throws -> (status: Int, body: String) {
        try await ServerPollingClient.request(engine, method, target, body: body)
    }

    /// Opens a polling session; its sid and socket.
    private static func open(
        _ engine: EngineIOServer, _ sockets: AsyncStream<EngineIOSocket>
    ) async throws -> (String, EngineIOSocket) {
        let open = try await send(engine, .get, "/socket.io/?EIO=4&transport=polling")
        var iterator = sockets.makeAsyncIterator()
        let socket = try #require(await iterator.next())
        #expect(open.body.hasPrefix(#"0{"sid":"\#(socket.sid)""#))
        return (socket.sid, socket)
    }

    private static func closeReason(_ socket: EngineIOSocket) async -> EngineIOCloseReason? {
        for await event in socket.events {
            if case .closed(let reason) = event { return reason }
        }
        return nil
    }

    private static let unknownSession = #"{"code":1,"message":"Session ID unknown"}"#

    // MARK: - Close packet in a POST, GET held or not yet arrived

    @Test("GET held, then a POST with 1: the GET gets 6, the session ends with transport close, a later GET is 400")
    func closeAfterTheGetIsHeld() async throws {
        let (engine, sockets) = Self.makeEngine()
        let (sid, socket) = try await Self.open(engine, sockets)
        let target = "/socket.io/?EIO=4&transport=polling&sid=\(sid)"
        let poll = Task { try await Self.send(engine, .get, target) }
        #expect(try await eventually { socket.isHoldingPoll })
        let post = try await Self.send(engine, .post, target, body: "1")
        #expect(post.status == 200)
        #expect(post.body == "ok")
        let answered = try await poll.value
        #expect(answered.status == 200)
        #expect(answered.body == "6")
        #expect(await Self.closeReason(socket) == .transportClose)
        #expect(engine.sessionCount == 0)
        #expect(try await Self.send(engine, .get, target) == (400, Self.unknownSession))
    }

    @Test("a POST with 1 first, then its GET: the session ends at once, the GET gets 6, the next GET is 400")
    func closeBeforeTheGetArrives() async throws {
        let (engine, sockets) = Self.makeEngine()
        let (sid, socket) = try await Self.open(engine, sockets)
        let target = "/socket.io/?EIO=4&transport=polling&sid=\(sid)"
        let post = try await Self.send(engine, .post, target, body: "1")
        #expect(post.body == "ok")
        #expect(await Self.closeReason(socket) == .transportClose)
        #expect(try await Self.send(engine, .post, target, body: "4late") == (400, Self.unknownSession))
        #expect(try await Self.send(engine, .get, target) == (200, "6"))
        #expect(engine.sessionCount == 0)
        #expect(try await Self.send(engine, .get, target) == (400, Self.unknownSession))
    }

    // MARK: - A second WebSocket for the session, over TCP

    /// An engine behind an HTTP server on a loopback port, for `body`.
    private static func withServer(
        _ configuration: EngineIOServerConfiguration = configuration,
        _ body: (EngineIOServer, AsyncStream<EngineIOSocket>, Int) async throws -> Void
    ) async throws {
        let (engine, sockets) = makeEngine(configuration)
        var app = App()
        app.use(engine)
        let http = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0))
        try await http.start()
        do {
            try await body(engine, sockets, try #require(http.localAddress?.port))
        } catch {
            await http.shutdown()
            throw error
        }
        await http.shutdown()
    }

    /// Expects a WebSocket for `sid` to complete its handshake and be closed by the server at once.
    private static func expectClosedAtOnce(port: Int, sid: String) async throws {
        let second = try await RawWebSocketClient.connect(
            port: port, target: "/socket.io/?EIO=4&transport=websocket&sid=\(sid)")
        #expect(second.status == 101)
        #expect(try await second.nextFrame()?.opcode == .close)
        await second.close()
    }

    @Test(
        "a WebSocket naming a session that is upgrading (before or after the probe) or upgraded is 101, then closed; the first WebSocket carries on",
        arguments: ["before probe", "after probe", "upgraded"])
    func secondWebSocketIsClosed(when moment: String) async throws {
        try await Self.withServer { engine, sockets, port in
            let (sid, socket) = try await Self.open(engine, sockets)
            let first = try await RawWebSocketClient.connect(
                port: port, target: "/socket.io/?EIO=4&transport=websocket&sid=\(sid)")
            #expect(first.status == 101)
            if moment == "before probe" { try await Self.expectClosedAtOnce(port: port, sid: sid) }
            try await first.send("2probe")
            #expect(try await first.nextText() == "3probe")
            if moment == "after probe" { try await Self.expectClosedAtOnce(port: port, sid: sid) }
            try await first.send("5")
            #expect(try await eventually { socket.transport == .websocket })
            if moment == "upgraded" { try await Self.expectClosedAtOnce(port: port, sid: sid) }

            socket.send([EngineIOPacket(.message, "still here")])
            #expect(try await first.nextText() == "4still here")
            try await first.send("4and you")
            var events = socket.events.makeAsyncIterator()
            #expect(await events.next() == .message(.text("and you")))
            #expect(socket.transport == .websocket)
            #expect(engine.sessionCount == 1)
            await first.close()
            #expect(await events.next() == .closed(.transportClose))
        }
    }

    @Test("a WebSocket naming an unknown sid is refused with HTTP 400, as engine.io does")
    func webSocketWithUnknownSid() async throws {
        try await Self.withServer { _, _, port in
            let client = try await RawWebSocketClient.connect(
                port: port, target: "/socket.io/?EIO=4&transport=websocket&sid=nope")
            #expect(client.status == 400)
            await client.close()
        }
    }

    @Test("a WebSocket message over maxPayload is closed with 1009 and ends the session with transport error")
    func oversizeWebSocketMessage() async throws {
        let configuration = EngineIOServerConfiguration(
            engine: EngineIOConfiguration(pingInterval: .seconds(120), pingTimeout: .seconds(120), maxPayload: 16))
        try await Self.withServer(configuration) { _, sockets, port in
            let client = try await RawWebSocketClient.connect(port: port, target: "/socket.io/?EIO=4&transport=websocket")
            #expect(client.status == 101)
            #expect(try await client.nextText()?.hasPrefix(#"0{"sid":""#) == true)
            var iterator = sockets.makeAsyncIterator()
            let socket = try #require(await iterator.next())
            try await client.send("4" + String(repeating: "x", count: 32))
            let close = try #require(try await client.nextFrame())
            #expect(close.opcode == .close)
            #expect(close.payload.getInteger(at: close.payload.readerIndex, as: UInt16.self) == 1009)
            #expect(await Self.closeReason(socket) == .transportError)
            await client.close()
        }
    }
}
