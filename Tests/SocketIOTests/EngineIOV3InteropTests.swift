import Foundation
import SesiorTesting
import SocketIO
import Testing

/// python-socketio 4.x with python-engineio 3.x (a stock Engine.IO v3 / Socket.IO protocol 4
/// client, from `.venv-eio3`) against an in-process SocketIOServer with `allowEIO3`.
@Suite(.serialized)
struct EngineIOV3InteropTests {
    private func run(
        _ scenario: String, allowEIO3: Bool = true, _ check: (InteropServer, [String: Any]) async throws -> Void
    ) async throws {
        let server = try await InteropServer.start(allowEIO3: allowEIO3)
        do {
            let result = try await PythonScript.run(
                "Tests/SocketIOTests/python/interop_eio3_client.py", arguments: [server.url, scenario], eio3: true)
            try await check(server, result)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test(arguments: [("polling", "polling"), ("websocket", "websocket"), ("upgrade", "websocket")])
    func connectsEmitsWithAckAndSendsBinaryBothWays(scenario: String, transport: String) async throws {
        try await run(scenario) { server, result in
            #expect(result["connected"] as? Bool == true)
            #expect(result["welcomed"] as? Bool == true)
            #expect(result["transport"] as? String == transport)
            #expect((result["echo"] as? [String: Any])?["s"] as? String == "é")
            #expect(result["binary_ack"] as? [[Int]] == [[0, 1, 255], [97, 98, 99]])
            #expect(result["pushed_ok"] as? Bool == true)
            let pushed = try #require(result["pushed"] as? [Any])
            #expect(pushed.first as? [Int] == [9, 8, 7])
            #expect(pushed.last as? String == "with text")
            #expect(result["still_connected"] as? Bool == true)
            #expect(result["echo_after_heartbeats"] as? String == "later")
            let welcome = try #require(result["welcome"] as? [String: Any])
            let id = try #require(welcome["id"] as? String)
            let reason = await server.disconnectReason(of: id)
            #expect(
                reason.map(["client namespace disconnect", "transport close"].contains) == true,
                "\(String(describing: reason))")
        }
    }

    @Test func serverEmitWithAckReachesTheClient() async throws {
        try await run("acks") { _, result in
            #expect(result["asked"] as? Int == 42)
        }
    }

    @Test func broadcastsAndRoomsReachV3ClientsOnBothTransports() async throws {
        try await run("rooms") { _, result in
            let heard = try #require(result["heard"] as? [String: [String]])
            #expect(heard["a"] == ["hi all but me"])
            #expect(heard["b"] == ["hi red", "hi all but me"])
            #expect(heard["c"] == [])
        }
    }

    @Test func refusalIsAStringConnectErrorOrTheRefusalData() async throws {
        try await run("refused") { _, result in
            #expect(result["joined"] as? [String] == ["/"])
            let errors = try #require(result["errors"] as? [String: [[Any]]])
            #expect(errors["/locked"]?.first?.first as? String == "Not authorized")
            #expect((errors["/admin"]?.first?.first as? [String: Any])?["code"] as? Int == 401)
        }
    }

    @Test func rawPollingServesTheV3FramingAndJSONP() async throws {
        try await run("raw-polling") { _, result in
            let open = try #require(result["open"] as? String)
            #expect(open.range(of: #"^\d+:0\{"sid":""#, options: .regularExpression) != nil, "\(open)")
            // `0` (the implicit CONNECT to `/`), maybe followed by the welcome emitted on connection
            #expect((result["connect"] as? String)?.hasPrefix("2:40") == true)
            #expect((result["jsonp_open"] as? String)?.hasPrefix(#"___eio[7](""#) == true)
            #expect((result["jsonp_connect"] as? String)?.hasPrefix(#"___eio[7]("2:40"#) == true)
            #expect(result["jsonp_post"] as? String == "ok")
            let pushed = try #require(result["jsonp_pushed"] as? String)
            #expect(pushed.contains(#"451-[\"bytes\",{\"_placeholder\":true,\"num\":0},\"with text\"]"#), "\(pushed)")
            #expect(pushed.contains("b4CQgH"), "\(pushed)")
        }
    }

    @Test func withoutAllowEIO3TheClientIsRefusedWithError5() async throws {
        try await run("refused-without-eio3", allowEIO3: false) { _, result in
            #expect(result["status"] as? Int == 400)
            let body = try #require(result["body"] as? [String: Any])
            #expect(body["code"] as? Int == 5)
            #expect(body["message"] as? String == "Unsupported protocol version")
            #expect(result["raised"] is String)
        }
    }
}
