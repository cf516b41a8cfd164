import HTTPCore
import NIOCore
import SocketIO
import NIOConcurrencyHelpers
import Testing

/// `allowRequest` and the origin allow-list: which handshakes may open an Engine.IO session.
struct HandshakeAdmissionTests {
    private static let forbidden = #"{"code":4,"message":"Forbidden"}"#

    private static func send(
        _ engine: EngineIOServer, _ method: HTTPMethod = .get, _ target: String = "/socket.io/?EIO=4&transport=polling",
        headers: HTTPHeaders = [:], body: String = ""
    ) async throws -> (status: Int, body: String) {
        let request = Request(
            head: HTTPRequestHead(method: method, target: target, headers: headers), body: ByteBuffer(string: body))
        let response = try await engine.handle(request) { _ in Response(status: .notFound) }
        guard case .bytes(let bytes) = response.body else { return (response.status.code, "<stream>") }
        return (response.status.code, String(buffer: bytes))
    }

    private static func engine(_ configuration: EngineIOServerConfiguration) -> EngineIOServer {
        EngineIOServer(configuration: configuration) { _ in }
    }

    @Test("the router skips the engine for other paths only", arguments: [
        ("/socket.io/", false), ("/socket.io", false), ("/socket.io/?EIO=4&transport=polling", false),
        ("/verify-session", true), ("/socket.io/x", true), ("/", true),
    ])
    func passesOnOtherPaths(target: String, passes: Bool) {
        let request = Request(head: HTTPRequestHead(method: .get, target: target))
        #expect(Self.engine(EngineIOServerConfiguration()).passesOn(request) == passes)
    }

    @Test func refusalIsA403WithEngineIOCode4AndNoSession() async throws {
        let seen = NIOLockedValueBox<[String]>([])
        let engine = Self.engine(EngineIOServerConfiguration(allowRequest: { request in
            seen.withLockedValue { $0.append(String(request.head.query ?? "")) }
            return request.headers["X-Ticket"] == "valid" ? .allow : .refuse
        }))
        let refused = try await Self.send(engine, headers: ["X-Ticket": "forged"])
        #expect(refused.status == 403)
        #expect(refused.body == Self.forbidden)
        #expect(engine.sessionCount == 0)
        #expect(seen.withLockedValue { $0 } == ["EIO=4&transport=polling"])

        let allowed = try await Self.send(engine, headers: ["X-Ticket": "valid"])
        #expect(allowed.status == 200)
        #expect(allowed.body.hasPrefix(#"0{"sid":""#))
        #expect(engine.sessionCount == 1)
    }

    @Test func onlyHandshakesAreAsked() async throws {
        let calls = NIOLockedValueBox(0)
        let engine = Self.engine(EngineIOServerConfiguration(allowRequest: { _ in
            calls.withLockedValue { $0 += 1 }
            return calls.withLockedValue { $0 } == 1 ? .allow : .refuse
        }))
        let open = try await Self.send(engine)
        let start = open.body.index(open.body.startIndex, offsetBy: 9)
        let sid = String(open.body[start..<(open.body[start...].firstIndex(of: "\"") ?? open.body.endIndex)])
        let post = try await Self.send(engine, .post, "/socket.io/?EIO=4&transport=polling&sid=\(sid)", body: "6")
        #expect(post.status == 200)
        #expect(post.body == "ok")
        #expect(calls.withLockedValue { $0 } == 1)
        #expect(try await Self.send(engine).status == 403)
        #expect(calls.withLockedValue { $0 } == 2)
    }

    @Test func webSocketHandshakeIsRefusedToo() async throws {
        let engine = Self.engine(EngineIOServerConfiguration(allowRequest: { _ in .refuse }))
        let headers: HTTPHeaders = [
            "Host": "example.com", "Connection": "Upgrade", "Upgrade": "websocket",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
        ]
        let response = try await Self.send(engine, .get, "/socket.io/?EIO=4&transport=websocket", headers: headers)
        #expect(response.status == 403)
        #expect(response.body == Self.forbidden)
        #expect(engine.sessionCount == 0)
    }

    @Test(arguments: [
        (nil, 200),
        ("https://app.example", 200),
        ("http://evil.example", 403),
        ("http://localhost:3000", 200),
        ("https://localhost:3000", 200),
        ("http://localhost:3001", 403),
        ("null", 403),
    ] as [(String?, Int)])
    func originAllowList(origin: String?, status: Int) async throws {
        let engine = Self.engine(EngineIOServerConfiguration(allowedOrigins: ["https://app.example"]))
        var headers: HTTPHeaders = ["Host": "localhost:3000"]
        if let origin { headers.add(name: "Origin", value: origin) }
        let response = try await Self.send(engine, headers: headers)
        #expect(response.status == status)
        if status == 403 { #expect(response.body == Self.forbidden) }
    }

    @Test func originListIsCheckedBeforeAllowRequest() async throws {
        let calls = NIOLockedValueBox(0)
        let engine = Self.engine(EngineIOServerConfiguration(allowedOrigins: [], allowRequest: { _ in
            calls.withLockedValue { $0 += 1 }
            return .allow
        }))
        #expect(try await Self.send(engine, headers: ["Origin": "http://evil.example"]).status == 403)
        #expect(calls.withLockedValue { $0 } == 0)
        #expect(try await Self.send(engine).status == 200)
        #expect(calls.withLockedValue { $0 } == 1)
    }

    @Test func aRefusalMayCarryItsOwnMessageOnEveryTransport() async throws {
        let engine = Self.engine(EngineIOServerConfiguration(allowRequest: { request in
            request.headers["Cookie"]?.contains("ticket=") == true ? .allow : .refuse(message: "No ticket")
        }))
        let polling = try await Self.send(engine)
        #expect(polling.status == 403)
        #expect(polling.body == #"{"code":4,"message":"No ticket"}"#)
        let webSocket = try await Self.send(
            engine, .get, "/socket.io/?EIO=4&transport=websocket", headers: Self.webSocketHeaders)
        #expect(webSocket.status == 403)
        #expect(webSocket.body == #"{"code":4,"message":"No ticket"}"#)
        #expect(try await Self.send(engine, headers: ["Cookie": "ticket=1"]).status == 200)
    }

    @Test func theHookSeesTheRemoteAddress() async throws {
        let seen = NIOLockedValueBox<String?>(nil)
        let engine = Self.engine(EngineIOServerConfiguration(allowRequest: { request in
            seen.withLockedValue { $0 = request.remoteAddress?.ipAddress }
            return .refuse
        }))
        let request = Request(
            head: HTTPRequestHead(method: .get, target: "/socket.io/?EIO=4&transport=polling"),
            remoteAddress: try SocketAddress(ipAddress: "192.0.2.7", port: 4000))
        let response = try await engine.handle(request) { _ in Response(status: .notFound) }
        #expect(response.status.code == 403)
        #expect(seen.withLockedValue { $0 } == "192.0.2.7")
    }

    private static let webSocketHeaders: HTTPHeaders = [
        "Host": "example.com", "Connection": "Upgrade", "Upgrade": "websocket",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
    ]
}
