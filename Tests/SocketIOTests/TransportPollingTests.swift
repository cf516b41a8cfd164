import HTTPCore
import NIOCore
import SocketIO
import Testing

/// Engine.IO over HTTP long-polling, driven through the middleware without a network.
struct TransportPollingTests {
    private static func makeEngine(
        pingInterval: TimeAmount = .seconds(25), pingTimeout: TimeAmount = .seconds(20), cors: CORSMiddleware? = nil
    ) -> (EngineIOServer, AsyncStream<EngineIOSocket>) {
        let (sockets, sink) = AsyncStream.makeStream(of: EngineIOSocket.self)
        let engine = EngineIOServer(
            configuration: EngineIOServerConfiguration(
                engine: EngineIOConfiguration(pingInterval: pingInterval, pingTimeout: pingTimeout), cors: cors)
        ) { sink.yield($0) }
        return (engine, sockets)
    }

    private static func send(
        _ engine: EngineIOServer, _ method: HTTPMethod, _ target: String, body: String = "", headers: HTTPHeaders = [:]
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        let request = Request(
            head: HTTPRequestHead(method: method, target: target, headers: headers), body: ByteBuffer(string: body))
        let response = try await engine.handle(request) { _ in Response(status: .notFound) }
        guard case .bytes(let bytes) = response.body else {
            return (response.status.code, "<stream>", response.headers)
        }
        return (response.status.code, String(buffer: bytes), response.headers)
    }

    private static func handshake(_ engine: EngineIOServer) async throws -> String {
        let (status, body, _) = try await send(engine, .get, "/socket.io/?EIO=4&transport=polling")
        #expect(status == 200)
        #expect(body.hasPrefix(#"0{"sid":""#))
        #expect(body.contains(#""upgrades":["websocket"],"pingInterval":"#))
        let start = body.index(body.startIndex, offsetBy: 9)
        return String(body[start..<(body[start...].firstIndex(of: "\"") ?? body.endIndex)])
    }

    @Test(arguments: [
        ("/socket.io/?transport=polling", 400, #"{"code":5,"message":"Unsupported protocol version"}"#),
        ("/socket.io/?EIO=3&transport=polling", 400, #"{"code":5,"message":"Unsupported protocol version"}"#),
        ("/socket.io/?EIO=abc&transport=polling", 400, #"{"code":5,"message":"Unsupported protocol version"}"#),
        ("/socket.io/?EIO=3&transport=polling&sid=any", 400, #"{"code":5,"message":"Unsupported protocol version"}"#),
        ("/socket.io/?EIO=4&transport=carrier-pigeon", 400, #"{"code":0,"message":"Transport unknown"}"#),
        ("/socket.io/?EIO=4&transport=polling&sid=nope", 400, #"{"code":1,"message":"Session ID unknown"}"#),
    ])
    func refusesBadRequests(target: String, status: Int, body: String) async throws {
        let (engine, _) = Self.makeEngine()
        let response = try await Self.send(engine, .get, target)
        #expect(response.status == status)
        #expect(response.body == body)
    }

    @Test func handshakeWithPutIsABadMethod() async throws {
        let (engine, _) = Self.makeEngine()
        let response = try await Self.send(engine, .put, "/socket.io/?EIO=4&transport=polling")
        #expect(response.status == 400)
        #expect(response.body == #"{"code":2,"message":"Bad handshake method"}"#)
    }

    @Test func otherPathsPassThrough() async throws {
        let (engine, _) = Self.makeEngine()
        #expect(try await Self.send(engine, .get, "/other?EIO=4&transport=polling").status == 404)
    }

    @Test func postedMessagesReachTheSocketAndSendsAnswerTheHeldPoll() async throws {
        let (engine, sockets) = Self.makeEngine()
        let sid = try await Self.handshake(engine)
        var iterator = sockets.makeAsyncIterator()
        let socket = try #require(await iterator.next())
        #expect(socket.sid == sid)
        let post = try await Self.send(
            engine, .post, "/socket.io/?EIO=4&transport=polling&sid=\(sid)", body: "4hello\u{1e}4world")
        #expect(post.status == 200)
        #expect(post.body == "ok")
        var events = socket.events.makeAsyncIterator()
        #expect(await events.next() == .message(.text("hello")))
        #expect(await events.next() == .message(.text("world")))
        async let poll = Self.send(engine, .get, "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
        try await Task.sleep(for: .milliseconds(50))
        socket.send([EngineIOPacket(.message, "back"), .binaryMessage(ByteBuffer(bytes: [1, 2]))])
        let answered = try await poll
        #expect(answered.status == 200)
        #expect(answered.body == "4back\u{1e}bAQI=")
    }

    @Test func secondConcurrentPollIsRefusedAndClosesTheSession() async throws {
        let (engine, sockets) = Self.makeEngine()
        let sid = try await Self.handshake(engine)
        var iterator = sockets.makeAsyncIterator()
        let socket = try #require(await iterator.next())
        async let first = Self.send(engine, .get, "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
        try await Task.sleep(for: .milliseconds(50))
        let second = try await Self.send(engine, .get, "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
        #expect(second.status == 400)
        #expect(second.body == #"{"code":3,"message":"Bad request"}"#)
        #expect(try await first.body == "1")
        var events = socket.events.makeAsyncIterator()
        #expect(await events.next() == .closed(.transportError))
        #expect(engine.sessionCount == 0)
    }

    /// The ping timeout leaves a delayed test task (see `pongKeepsTheSessionAlive`) time to send
    /// its GET before the session ends.
    @Test func heldPollGetsThePingAndASilentClientTimesOut() async throws {
        let (engine, sockets) = Self.makeEngine(pingInterval: .milliseconds(100), pingTimeout: .seconds(3))
        let sid = try await Self.handshake(engine)
        var iterator = sockets.makeAsyncIterator()
        let socket = try #require(await iterator.next())
        let poll = try await Self.send(engine, .get, "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
        #expect(poll.body == "2")
        var events = socket.events.makeAsyncIterator()
        #expect(await events.next() == .closed(.pingTimeout))
        let after = try await Self.send(engine, .get, "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
        #expect(after.status == 400)
    }

    /// Every pong lets the next ping come after pingInterval. The pong timeout is long, so that
    /// a delayed test task cannot miss it: the server's timer fires on time, on an event loop,
    /// while the test's task may wait for seconds (a loaded machine; other tests blocking the
    /// concurrency pool). Were a pong not counted, no further ping would be sent and a poll
    /// would be held until the timeout closes the session (answering `1`, not `2`).
    @Test func pongKeepsTheSessionAlive() async throws {
        let (engine, _) = Self.makeEngine(pingInterval: .milliseconds(100), pingTimeout: .seconds(60))
        let sid = try await Self.handshake(engine)
        for _ in 0..<3 {
            let poll = try await Self.send(engine, .get, "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
            #expect(poll.body == "2")
            let pong = try await Self.send(engine, .post, "/socket.io/?EIO=4&transport=polling&sid=\(sid)", body: "3")
            #expect(pong.body == "ok")
        }
        #expect(engine.socket(sid: sid) != nil)
    }

    @Test func corsAllowListWithCredentials() async throws {
        let cors = CORSMiddleware(allowedOrigins: .list(["https://app.example"]), allowCredentials: true)
        let (engine, _) = Self.makeEngine(cors: cors)
        let allowed = try await Self.send(
            engine, .get, "/socket.io/?EIO=4&transport=polling", headers: ["Origin": "https://app.example"])
        #expect(allowed.headers["Access-Control-Allow-Origin"] == "https://app.example")
        #expect(allowed.headers["Access-Control-Allow-Credentials"] == "true")
        let other = try await Self.send(
            engine, .get, "/socket.io/?EIO=4&transport=polling", headers: ["Origin": "https://evil.example"])
        #expect(other.headers["Access-Control-Allow-Origin"] == nil)
        let preflight = try await Self.send(
            engine, .options, "/socket.io/?EIO=4&transport=polling",
            headers: ["Origin": "https://app.example", "Access-Control-Request-Method": "POST"])
        #expect(preflight.status == 204)
    }

    @Test func postLargerThanMaxPayloadIsRefusedAndClosesTheSession() async throws {
        let (sockets, sink) = AsyncStream.makeStream(of: EngineIOSocket.self)
        let engine = EngineIOServer(
            configuration: EngineIOServerConfiguration(engine: EngineIOConfiguration(maxPayload: 16))
        ) { sink.yield($0) }
        let sid = try await Self.handshake(engine)
        var iterator = sockets.makeAsyncIterator()
        let socket = try #require(await iterator.next())
        let post = try await Self.send(
            engine, .post, "/socket.io/?EIO=4&transport=polling&sid=\(sid)",
            body: "4" + String(repeating: "x", count: 32))
        #expect(post.status == 413)
        var events = socket.events.makeAsyncIterator()
        #expect(await events.next() == .closed(.transportError))
        #expect(engine.socket(sid: sid) == nil)
    }
}
