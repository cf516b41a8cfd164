import Foundation
import SesiorTesting
import Testing

@testable import SesiorServer

/// The showcase with a socket.io 2.x generation client (python-socketio 4.x, python-engineio
/// 3.x: Engine.IO v3, Socket.IO protocol 4): served unchanged with `--allow-eio3`, refused
/// with Engine.IO error 5 without it.
@Suite("End to end: Engine.IO v3 clients", .serialized)
struct EndToEndEIO3Tests {
    static func run(_ scenario: String, _ arguments: [String: Any]) async throws -> [String: Any] {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        return try await PythonScript.run(
            "Tests/SesiorServerTests/python/sesior_eio3_client.py", arguments: [scenario, json], eio3: true)
    }

    @Test("register → rename over a v3 socket → /verify-session shows it", arguments: ["websocket", "polling"])
    func renameOverAV3Socket(transport: String) async throws {
        try await TestInstance.with(configure: { $0.allowEIO3 = true }) { app in
            let alice = try await app.register("alice")
            let result = try await Self.run("rename", [
                "url": app.url, "cookie": alice, "name": "alice", "newName": "alicia", "transports": [transport],
            ])
            #expect((result["errors"] as? [Any])?.isEmpty == true)
            let connected = try #require(result["connectedAck"] as? [Any])
            #expect(connected.first is NSNull)
            #expect((connected.last as? [String: Any])?.keys.contains("alice") == true)
            let renamed = try #require((result["renameAck"] as? [Any])?.last as? [String: Any])
            #expect(renamed["oldUserName"] as? String == "alice")
            #expect(result["badRenameAck"] as? [String] == ["User name must not be empty"])
            let verify = try await app.get("/verify-session", cookie: alice)
            #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"alicia"}}"#)
        }
    }

    @Test("a v3 handshake without a session is refused with the string \"Not authorized\"")
    func refusedWithoutSession() async throws {
        try await TestInstance.with(configure: { $0.allowEIO3 = true }) { app in
            let result = try await Self.run("refused", ["url": app.url])
            #expect(result["connected"] as? Bool == false)
            #expect(result["errors"] as? [String] == ["Not authorized"])
        }
    }

    @Test("without --allow-eio3 a v3 handshake gets Engine.IO error 5")
    func refusedWithoutAllowEIO3() async throws {
        try await TestInstance.with { app in
            let result = try await Self.run("refused-without-eio3", ["url": app.url])
            #expect(result["status"] as? Int == 400)
            let body = try #require(result["body"] as? [String: Any])
            #expect(body["code"] as? Int == 5)
            #expect(body["message"] as? String == "Unsupported protocol version")
        }
    }

    @Test func theFlagAndTheEnvironmentTurnItOn() throws {
        #expect(try SesiorOptions.parse(["--allow-eio3"]).configuration(environment: [:]).allowEIO3)
        #expect(try SesiorOptions.parse([]).configuration(environment: ["SESIOR_ALLOW_EIO3": "1"]).allowEIO3)
        #expect(try !SesiorOptions.parse([]).configuration(environment: [:]).allowEIO3)
    }
}
