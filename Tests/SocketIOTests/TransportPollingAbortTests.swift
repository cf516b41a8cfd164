import Glibc
import HTTPCore
import NIOConcurrencyHelpers
import NIOCore
import SocketIO
import Testing

/// A held polling GET whose client goes away ends the session at once (`"transport close"`), not
/// at the ping timeout, and the Socket.IO disconnect handlers run.
struct TransportPollingAbortTests {
    /// Heartbeat far beyond the test's waits, so only the closed connection can end the session.
    private static let configuration = EngineIOServerConfiguration(
        engine: EngineIOConfiguration(pingInterval: .seconds(120), pingTimeout: .seconds(120)))

    private static func handshake(_ engine: EngineIOServer) async throws -> String {
        let request = Request(head: HTTPRequestHead(method: .get, target: "/socket.io/?EIO=4&transport=polling"))
        let response = try await engine.handle(request) { _ in Response(status: .notFound) }
        guard case .bytes(let bytes) = response.body else { throw CancellationError() }
        let open = String(buffer: bytes)
        let start = open.index(open.startIndex, offsetBy: 9)
        return String(open[start..<(open[start...].firstIndex(of: "\"") ?? open.endIndex)])
    }

    /// The reason the session closed, or nil when it did not within 10 s.
    private static func closeReason(of socket: EngineIOSocket) async -> EngineIOCloseReason? {
        await withTaskGroup(of: EngineIOCloseReason?.self) { group in
            group.addTask {
                for await event in socket.events {
                    if case .closed(let reason) = event { return reason }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test func aHeldPollWhoseConnectionClosesEndsTheSession() async throws {
        let (sockets, sink) = AsyncStream.makeStream(of: EngineIOSocket.self)
        let engine = EngineIOServer(configuration: Self.configuration) { sink.yield($0) }
        let sid = try await Self.handshake(engine)
        var iterator = sockets.makeAsyncIterator()
        let socket = try #require(await iterator.next())
        let lifetime = HTTPConnectionLifetime()
        let poll = Task {
            let request = Request(
                head: HTTPRequestHead(method: .get, target: "/socket.io/?EIO=4&transport=polling&sid=\(sid)"),
                connection: lifetime)
            return try await engine.handle(request) { _ in Response(status: .notFound) }.status.code
        }
        let reason = Task { await Self.closeReason(of: socket) }
        // Whether the GET is already held or not yet, the close is seen (late handlers run at once).
        lifetime.close()
        #expect(await reason.value == .transportClose)
        #expect(try await poll.value == 400)
        #expect(engine.sessionCount == 0)
    }

    @Test func overTCPTheClientGoingAwayIsReportedPromptly() async throws {
        let (sockets, sink) = AsyncStream.makeStream(of: EngineIOSocket.self)
        let engine = EngineIOServer(configuration: Self.configuration) { sink.yield($0) }
        let (arrived, arrivedSink) = AsyncStream.makeStream(of: Void.self)
        var app = App()
        app.use { request, next in
            if request.head.query?.contains("sid=") == true { arrivedSink.yield() }
            return try await next(request)
        }
        app.use(engine)
        let http = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0))
        try await http.start()
        let port = try #require(http.localAddress?.port)
        let sid = try await Self.handshake(engine)
        var iterator = sockets.makeAsyncIterator()
        let socket = try #require(await iterator.next())
        let reason = Task { await Self.closeReason(of: socket) }

        let fd = try Self.connect(port: port)
        let get = "GET /socket.io/?EIO=4&transport=polling&sid=\(sid) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        #expect(Array(get.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) } == get.utf8.count)
        for await _ in arrived { break }
        close(fd)
        let started = ContinuousClock.now
        #expect(await reason.value == .transportClose)
        #expect(ContinuousClock.now - started < .seconds(10))
        await http.shutdown()
    }

    /// Socket.IO over HTTP: a client connects to `/` over polling, then a raw socket sends the
    /// session's next GET and closes (or only shuts its sending side); HTTPCore tells the GET's
    /// handler and the namespace's disconnect handler runs with `"transport close"` at once
    /// (within 5 s even on a loaded machine), with the ping timeout at 120 s.
    @Test(arguments: [false, true])
    func aVanishedPollingClientRunsTheDisconnectHandler(halfClose: Bool) async throws {
        let io = SocketIOServer(configuration: SocketIOServerConfiguration(engine: Self.configuration))
        let (disconnects, disconnectSink) = AsyncStream.makeStream(of: (SocketIODisconnectReason, ContinuousClock.Instant).self)
        io.onConnection { socket in
            socket.onDisconnect { reason in disconnectSink.yield((reason, ContinuousClock.now)) }
        }
        let (arrived, arrivedSink) = AsyncStream.makeStream(of: Void.self)
        let noticed = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
        var app = App()
        app.use { request, next in
            if request.head.query?.contains("sid=") == true, request.method == .get {
                request.connection?.onClose { noticed.withLockedValue { $0 = $0 ?? .now } }
                arrivedSink.yield()
            }
            return try await next(request)
        }
        io.attach(to: &app)
        let http = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0))
        try await http.start()
        let port = try #require(http.localAddress?.port)

        func send(_ method: HTTPMethod, _ query: String, body: String = "") async -> String {
            let request = Request(
                head: HTTPRequestHead(method: method, target: "/socket.io/?EIO=4&transport=polling" + query),
                body: ByteBuffer(string: body))
            guard case .bytes(let bytes) = await app.respond(to: request).body else { return "" }
            return String(buffer: bytes)
        }
        let open = await send(.get, "")
        let start = open.index(open.startIndex, offsetBy: 9)
        let sid = String(open[start..<(open[start...].firstIndex(of: "\"") ?? open.endIndex)])
        #expect(await send(.post, "&sid=\(sid)", body: "40") == "ok")
        #expect(await send(.get, "&sid=\(sid)").hasPrefix("40{"))
        var arrivals = arrived.makeAsyncIterator()
        _ = await arrivals.next()  // the GET above

        let fd = try Self.connect(port: port)
        let get = "GET /socket.io/?EIO=4&transport=polling&sid=\(sid) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        #expect(Array(get.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) } == get.utf8.count)
        _ = await arrivals.next()
        let vanished = ContinuousClock.now
        if halfClose { shutdown(fd, Int32(SHUT_WR)) } else { close(fd) }
        var iterator = disconnects.makeAsyncIterator()
        let (reason, at) = try #require(await iterator.next())
        #expect(reason == .transportClose)
        // Measured: HTTPCore notices in about 1 ms and the handler runs 2-25 ms after the close
        // when the suite runs alone; while the whole test run shares 2 cores with other work
        // (load 8-12), either step has taken from ~170 ms to 2 s. The bounds leave room for
        // that and are still far below the 120 s ping timeout that ended such sessions before.
        let seen = try #require(noticed.withLockedValue { $0 })
        #expect(seen - vanished < .seconds(5), "HTTPCore noticed \(seen - vanished) after the client left")
        #expect(at - vanished < .seconds(5), "disconnect handler ran \(at - vanished) after the client left")
        if halfClose { close(fd) }
        io.close()
        await http.shutdown()
    }

    /// A blocking TCP connection to 127.0.0.1:`port` (also used by EngineIOCompressionTests).
    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, result == 0 else { throw CancellationError() }
        return fd
    }
}
