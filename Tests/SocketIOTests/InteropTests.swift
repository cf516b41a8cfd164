import Foundation
import SocketIO
import Testing

/// python-socketio (a stock client) against an in-process SocketIOServer.
@Suite(.serialized)
struct InteropTests {
    private func run(_ scenario: String, _ check: (InteropServer, [String: Any]) async throws -> Void) async throws {
        let server = try await InteropServer.start()
        do {
            let result = try await InteropPython.run(scenario, url: server.url)
            try await check(server, result)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test(arguments: [
        ("polling", "polling", "sid=polling-cookie", "p"),
        ("websocket", "websocket", "sid=ws-cookie", "w"),
        ("upgrade", "websocket", "sid=up", "u"),
    ])
    func connectsWithCookieAndAuth(scenario: String, transport: String, cookie: String, token: String) async throws {
        try await run(scenario) { server, result in
            #expect(result["connected"] as? Bool == true)
            #expect(result["transport"] as? String == transport)
            let welcome = try #require(result["welcome"] as? [String: Any])
            #expect(welcome["cookie"] as? String == cookie)
            #expect((welcome["auth"] as? [String: Any])?["token"] as? String == token)
            #expect(welcome["id"] as? String == result["sid"] as? String)
            let echo = try #require(result["echo"] as? [String: Any])
            #expect(echo["n"] as? Int == 1)
            #expect(echo["s"] as? String == "é")
            let id = try #require(result["sid"] as? String)
            let reason = await server.disconnectReason(of: id)
            // python-engineio closes its WebSocket without waiting for the queued `41` to be
            // written, so over WebSocket the server may see the transport close first.
            let expected =
                transport == "polling"
                ? ["client namespace disconnect"] : ["client namespace disconnect", "transport close"]
            #expect(reason.map(expected.contains) == true, "\(String(describing: reason))")
        }
    }

    @Test func acknowledgementsBothWays() async throws {
        try await run("acks") { _, result in
            let echo = try #require(result["echo"] as? [Any])
            #expect(echo.count == 3)
            #expect(echo.first as? String == "a")
            #expect(echo.last is NSNull)
            #expect(result["asked"] as? Int == 42)
        }
    }

    @Test(arguments: ["binary-websocket", "binary-polling"])
    func binaryArgumentsBothWays(scenario: String) async throws {
        try await run(scenario) { _, result in
            let ack = try #require(result["ack"] as? [[Int]])
            #expect(ack == [[0, 1, 255], [97, 98, 99]])
            #expect(result["pushed_ok"] as? Bool == true)
            let pushed = try #require(result["pushed"] as? [Any])
            #expect(pushed.first as? [Int] == [9, 8, 7])
            #expect(pushed.last as? String == "with text")
        }
    }

    @Test func roomAndBroadcastReachTheRightClients() async throws {
        try await run("rooms") { _, result in
            let heard = try #require(result["heard"] as? [String: [String]])
            #expect(heard["a"] == ["hi all but me"])
            #expect(heard["b"] == ["hi red", "hi all but me"])
            #expect(heard["c"] == [])
        }
    }

    @Test func middlewareRefusalIsAConnectError() async throws {
        try await run("refused") { _, result in
            let errors = try #require(result["errors"] as? [[String: Any]])
            #expect(errors.count == 1)
            #expect(errors.first?["message"] as? String == "Not authorized")
            #expect((errors.first?["data"] as? [String: Any])?["code"] as? Int == 401)
            #expect(result["raised"] is String)
            #expect(result["admin_echo"] as? String == "admin")
        }
    }

    @Test func clientThatStopsAnsweringPingsIsDropped() async throws {
        try await run("silent") { server, result in
            #expect((result["open"] as? String)?.hasPrefix("0{\"sid\":") == true)
            let connected = try #require(result["connected"] as? String)
            #expect(connected.hasPrefix("40{\"sid\":\""))
            let received = try #require(result["received"] as? [String])
            #expect(received.contains("2"))
            #expect(!received.contains("3"))
            let id = String(connected.dropFirst(#"40{"sid":""#.count).dropLast(2))
            #expect(await server.disconnectReason(of: id) == "ping timeout")
        }
    }

    @Test func upgradeByHandSendsNoopRefusesPollingAndClosesASecondWebSocket() async throws {
        try await run("raw-upgrade") { _, result in
            #expect((result["connected"] as? String)?.hasPrefix(#"40{"sid":""#) == true)
            #expect(result["probe"] as? String == "3probe")
            #expect(result["held"] as? String == "6")
            #expect(result["after_status"] as? Int == 400)
            #expect((result["after_body"] as? [String: Any])?["code"] as? Int == 3)
            #expect(result["second_websocket"] as? String == "closed")
            #expect(result["unknown_sid_status"] as? Int == 400)
            #expect(result["answers"] as? [String] == [#"431[{"over":"websocket"}]"#])
        }
    }
}
