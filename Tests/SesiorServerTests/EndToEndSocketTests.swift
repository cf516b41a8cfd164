import Foundation
import SesiorTesting
import SesiorUsers
import Testing

@testable import SesiorServer

/// REST and stock python-socketio clients against in-process `sesior` instances on ephemeral
/// ports: the original SESIOR flow, its refusals, logout, and two instances sharing one Redis.
@Suite("End to end: REST and sockets", .serialized)
struct EndToEndSocketTests {
    @Test("register → rename over the socket → /verify-session shows it; the other client sees joined and renamed")
    func renameOverSocket() async throws {
        try await TestInstance.with { app in
            let alice = try await app.register("alice")
            let bob = try await app.register("bob")
            let result = try await SocketClientPython.run("rename", [
                "url": app.url, "cookie": alice, "name": "alice", "newName": "  alicia ", "badName": "   ",
                "otherURL": app.url, "otherCookie": bob, "otherName": "bob",
            ])
            let connected = try #require(result["connectedAck"] as? [Any])
            #expect(connected.first is NSNull)
            let users = try #require(connected.last as? [String: Any])
            #expect(Set(users.keys) == ["alice", "bob"])
            #expect((users["bob"] as? [String: Any])?["userName"] as? String == "bob")
            #expect(Self.payload(result["joined"]) as? [String: String] == ["userName": "alice"])
            let ack = try #require(result["renameAck"] as? [Any])
            #expect(ack.first is NSNull)
            let renamed = try #require(ack.last as? [String: Any])
            #expect(renamed["oldUserName"] as? String == "alice")
            #expect(renamed["user"] as? [String: String] == ["userName": "alicia"])
            let seen = try #require(Self.payload(result["renamed"]) as? [String: Any])
            #expect(seen["oldUserName"] as? String == "alice")
            #expect(seen["user"] as? [String: String] == ["userName": "alicia"])
            #expect(result["badRenameAck"] as? [String] == ["User name must not be empty"])

            let verify = try await app.get("/verify-session", cookie: alice)
            #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"alicia"}}"#)
            let names = try await app.instance.services.users.userNames()
            #expect(names == ["alicia", "bob"])
        }
    }

    @Test("a taken name is refused over the socket and the session keeps its name")
    func renameToTakenName() async throws {
        try await TestInstance.with { app in
            let alice = try await app.register("alice")
            _ = try await app.register("bob")
            let result = try await SocketClientPython.run("rename", [
                "url": app.url, "cookie": alice, "name": "alice", "newName": "bob", "transports": ["polling"],
            ])
            #expect(result["renameAck"] as? [String] == ["User already exists"])
            let verify = try await app.get("/verify-session", cookie: alice)
            #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"alice"}}"#)
        }
    }

    @Test("a handshake without a cookie, with a tampered one, or from a foreign origin is refused")
    func refusedHandshakes() async throws {
        try await TestInstance.with(corsOrigins: ["http://allowed.example"]) { app in
            let alice = try await app.register("alice")
            let unregistered = try await app.register("carol")
            let carolID = try #require(app.instance.services.lifecycle.sessionID(fromCookieHeader: unregistered))
            try await app.instance.services.users.release(UserName(validating: "carol"), ownedBy: carolID)
            let tampered = Self.tamper(alice)
            for cookie in [nil, tampered, unregistered] as [String?] {
                var arguments: [String: Any] = ["url": app.url]
                arguments["cookie"] = cookie
                let result = try await SocketClientPython.run("refused", arguments)
                #expect(result["connected"] as? Bool == false, "cookie \(cookie ?? "none")")
                let errors = try #require(result["errors"] as? [Any])
                #expect(Self.message(errors.first) == "Not authorized", "cookie \(cookie ?? "none"): \(errors)")
            }
            let foreign = try await SocketClientPython.run(
                "refused", ["url": app.url, "cookie": alice, "origin": "http://evil.example"])
            #expect(foreign["connected"] as? Bool == false)
            let allowed = try await SocketClientPython.run(
                "refused", ["url": app.url, "cookie": alice, "origin": "http://allowed.example"])
            #expect(allowed["connected"] as? Bool == true)
        }
    }

    @Test("a foreign Origin is refused at the Engine.IO handshake on every transport, with error 4")
    func foreignOriginOnEveryTransport() async throws {
        try await TestInstance.with(corsOrigins: ["http://allowed.example"]) { app in
            let alice = try await app.register("alice")
            let webSocket = [
                ("Connection", "Upgrade"), ("Upgrade", "websocket"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
            ]
            for transport in ["polling", "websocket"] {
                let refused = try await HTTPTestClient.send(
                    "GET", "/socket.io/?EIO=4&transport=\(transport)", port: app.port,
                    headers: [("Origin", "http://evil.example"), ("Cookie", alice)] + (transport == "websocket" ? webSocket : []))
                #expect(refused.status == 403, "\(transport)")
                #expect(refused.body == #"{"code":4,"message":"Forbidden"}"#, "\(transport)")
            }
            for origin in ["http://allowed.example", "http://127.0.0.1:\(app.port)"] {
                let allowed = try await HTTPTestClient.send(
                    "GET", "/socket.io/?EIO=4&transport=polling", port: app.port,
                    headers: [("Origin", origin), ("Cookie", alice)])
                #expect(allowed.status == 200, "\(origin)")
            }
        }
    }

    @Test("logout disconnects every socket of the session and announces user:left")
    func logoutDisconnects() async throws {
        try await TestInstance.with { app in
            let alice = try await app.register("alice")
            let bob = try await app.register("bob")
            let result = try await SocketClientPython.run(
                "logout", ["url": app.url, "cookie": alice, "otherCookie": bob])
            #expect(result["status"] as? Int == 200)
            #expect(result["firstDisconnected"] as? Bool == true)
            #expect(result["secondDisconnected"] as? Bool == true)
            #expect(Self.payload(result["left"]) as? String == "alice")
            #expect(result["reconnected"] as? Bool == false)
        }
    }

    @Test("closing one of two sockets of a session (a reload) does not announce user:left; the last one does")
    func leftOnlyForTheLastSocket() async throws {
        try await TestInstance.with { app in
            let alice = try await app.register("alice")
            let bob = try await app.register("bob")
            let result = try await SocketClientPython.run(
                "leave", ["url": app.url, "cookie": alice, "otherCookie": bob, "newName": "alicia"])
            #expect((result["renameAck"] as? [Any])?.first is NSNull)
            #expect(result["lefts"] as? [String] == ["alicia"])
            #expect(try await app.instance.services.users.userNames() == ["alicia", "bob"])
        }
    }

    @Test("POST /register again regenerates the session id and disconnects the old id's sockets")
    func reregisterDisconnects() async throws {
        try await TestInstance.with { app in
            let alice = try await app.register("alice")
            let result = try await SocketClientPython.run(
                "reregister", ["url": app.url, "cookie": alice, "newName": "alicia"])
            #expect(result["status"] as? Int == 200)
            #expect(result["disconnected"] as? Bool == true)
        }
    }

    // MARK: - Helpers

    /// The first argument of a recorded `[event, [arguments]]`.
    static func payload(_ event: Any?) -> Any? {
        guard let event = event as? [Any], event.count == 2, let arguments = event[1] as? [Any] else { return nil }
        return arguments.first
    }

    /// The `message` of a `connect_error` payload.
    static func message(_ data: Any?) -> String? {
        (data as? [String: Any])?["message"] as? String ?? data as? String
    }

    /// `cookie` (`connect.sid=s%3A<id>.<signature>`) with the first character of its session id
    /// changed, so the signature no longer matches.
    static func tamper(_ cookie: String) -> String {
        guard let range = cookie.range(of: "s%3A"), range.upperBound < cookie.endIndex else { return cookie + "x" }
        let replaced = cookie[range.upperBound] == "A" ? "B" : "A"
        return cookie.replacingCharacters(in: range.upperBound...range.upperBound, with: String(replaced))
    }
}

extension TestInstance {
    /// `http://127.0.0.1:port`.
    var url: String { "http://127.0.0.1:\(port)" }
}
