import Foundation
import SesiorUsers
import Testing

@testable import SesiorServer

@Suite("SESIOR REST API over HTTP (memory store)")
struct RESTTests {
    @Test("register, then verify-session shows the user")
    func registerThenVerify() async throws {
        try await TestInstance.with { app in
            let before = try await app.get("/verify-session")
            #expect(before.status == 200)
            #expect(before.body == #"{"sessionVerified":false}"#)
            #expect(before.values("Set-Cookie").isEmpty)

            let register = try await app.post("/register", json: #"{"userName":"  alice  "}"#)
            #expect(register.status == 200)
            #expect(register.body == #"{"membershipResolved":true,"user":{"userName":"alice"}}"#)
            #expect(register.header("Content-Type") == "application/json; charset=utf-8")
            let cookie = try #require(register.cookie)
            #expect(cookie.hasPrefix("connect.sid=s%3A"))

            let after = try await app.get("/verify-session", cookie: cookie)
            #expect(after.body == #"{"sessionVerified":true,"user":{"userName":"alice"}}"#)
        }
    }

    @Test("register regenerates the session id (no session fixation) and moves the name")
    func registerRegenerates() async throws {
        try await TestInstance.with { app in
            let first = try await app.register("alice")
            let second = try await app.register("alicia", cookie: first)
            #expect(second != first)
            #expect(try await app.get("/verify-session", cookie: first).body == #"{"sessionVerified":false}"#)
            #expect(try await app.get("/verify-session", cookie: second).json?["user"] as? [String: String] == ["userName": "alicia"])
            #expect(try await app.get("/users").body == #"{"users":["alicia"]}"#)
            // Registering the same name again keeps it.
            let third = try await app.register("alicia", cookie: second)
            #expect(try await app.get("/users").body == #"{"users":["alicia"]}"#)
            #expect(try await app.get("/verify-session", cookie: third).json?["sessionVerified"] as? Bool == true)
        }
    }

    @Test("a name someone else holds is 409, answered exactly once, and the loser keeps their old name")
    func duplicateName() async throws {
        try await TestInstance.with { app in
            _ = try await app.register("alice")
            let bob = try await app.register("bob")
            let duplicate = try await app.post("/register", json: #"{"userName":"alice"}"#, cookie: bob)
            #expect(duplicate.status == 409)
            #expect(duplicate.body == #"{"membershipResolved":false,"error":"User already exists"}"#)
            #expect(duplicate.trailing.isEmpty)
            let bobNow = try #require(duplicate.cookie)
            #expect(try await app.get("/verify-session", cookie: bobNow).json?["user"] as? [String: String] == ["userName": "bob"])
            #expect(try await app.get("/users").body == #"{"users":["alice","bob"]}"#)
        }
    }

    @Test("a session whose name was taken over meanwhile does not keep showing it after a 409")
    func lostNameIsDropped() async throws {
        try await TestInstance.with { app in
            let alice = try await app.register("alice")
            _ = try await app.register("bob")
            let aliceID = try #require(app.instance.services.lifecycle.sessionID(fromCookieHeader: alice))
            let name = try UserName(validating: "alice")
            #expect(try await app.instance.services.users.transfer(name, from: aliceID, to: "another-session"))
            let response = try await app.post("/register", json: #"{"userName":"bob"}"#, cookie: alice)
            #expect(response.status == 409)
            let cookie = try #require(response.cookie)
            #expect(try await app.get("/verify-session", cookie: cookie).body == #"{"sessionVerified":false}"#)
        }
    }

    @Test(
        "invalid names and bodies are 400 with a JSON reason",
        arguments: [
            #"{"userName":""}"#, #"{"userName":"   "}"#, #"{"userName":"\#(String(repeating: "x", count: 33))"}"#,
            #"{"userName":"a\u0007b"}"#, #"{"userName":"a\nb"}"#, #"{"userName":"\u202Eevil"}"#,
            #"{"userName":42}"#, #"{"name":"alice"}"#, #"not json"#, #"["alice"]"#,
        ])
    func badNames(body: String) async throws {
        try await TestInstance.with { app in
            let response = try await app.post("/register", json: body)
            #expect(response.status == 400)
            #expect(response.json?["error"] is String)
            #expect(try await app.get("/users").body == #"{"users":[]}"#)
        }
    }

    @Test("names of 32 printable characters, emoji included, are accepted", arguments: [
        String(repeating: "é", count: 32), "👩‍💻 dev", "Zoë Åström",
    ])
    func goodNames(name: String) async throws {
        try await TestInstance.with { app in
            let response = try await app.post("/register", json: #"{"userName":"\#(name)"}"#)
            #expect(response.status == 200)
            #expect(response.json?["user"] as? [String: String] == ["userName": name])
        }
    }

    @Test(
        "state-changing routes refuse bodies that are not application/json (415)",
        arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", nil])
    func nonJSONContentType(contentType: String?) async throws {
        try await TestInstance.with { app in
            for path in ["/register", "/logout"] {
                let headers = contentType.map { [("Content-Type", $0)] } ?? []
                let response = try await HTTPTestClient.send(
                    "POST", path, port: app.port, headers: headers, body: #"{"userName":"alice"}"#)
                #expect(response.status == 415)
                #expect(response.body == #"{"error":"Content-Type must be application/json"}"#)
                #expect(response.values("Set-Cookie").isEmpty)
            }
            #expect(try await app.get("/users").body == #"{"users":[]}"#)
        }
    }

    @Test(
        "a request no route serves is 404 (405 for another method of a route) whatever its body: the 415 guard is the routes'",
        arguments: [
            ("POST", "/nowhere", "text/plain", 404), ("POST", "/nowhere", nil, 404),
            ("POST", "/nowhere", "application/json", 404), ("POST", "/register/extra", "text/plain", 404),
            ("GET", "/nowhere", nil, 404), ("PUT", "/register", "text/plain", 405), ("DELETE", "/logout", nil, 405),
        ] as [(String, String, String?, Int)])
    func unservedRequestIsNotRefusedAs415(method: String, path: String, contentType: String?, status: Int) async throws {
        try await TestInstance.with { app in
            let headers = contentType.map { [("Content-Type", $0)] } ?? []
            let body = method == "GET" ? nil : #"{"userName":"alice"}"#
            let response = try await HTTPTestClient.send(method, path, port: app.port, headers: headers, body: body)
            #expect(response.status == status)
            #expect(try await app.get("/users").body == #"{"users":[]}"#)
        }
    }

    @Test("logout destroys the session and releases the name")
    func logout() async throws {
        try await TestInstance.with { app in
            let cookie = try await app.register("alice")
            let response = try await app.post("/logout", json: "{}", cookie: cookie)
            #expect(response.status == 200)
            #expect(response.body == #"{"loggedOut":true}"#)
            #expect(response.header("Set-Cookie")?.hasPrefix("connect.sid=; Path=/; Expires=Thu, 01 Jan 1970") == true)
            #expect(try await app.get("/verify-session", cookie: cookie).body == #"{"sessionVerified":false}"#)
            #expect(try await app.get("/users").body == #"{"users":[]}"#)
            let other = try await app.post("/register", json: #"{"userName":"alice"}"#)
            #expect(other.status == 200)
        }
    }

    @Test("GET /health without Redis")
    func healthWithoutRedis() async throws {
        try await TestInstance.with { app in
            let response = try await app.get("/health")
            #expect(response.status == 200)
            #expect(response.body == #"{"status":"ok","redis":"disabled","instance":"test"}"#)
        }
    }

    @Test("the web client is served at /")
    func staticFiles() async throws {
        try await TestInstance.with { app in
            let index = try await app.get("/")
            #expect(index.status == 200)
            #expect(index.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(index.body.contains("app.js"))
            #expect(index.values("Set-Cookie").isEmpty)
            let script = try await app.get("/socketio-client.js")
            #expect(script.status == 200)
            #expect(try await app.get("/../Package.swift").status != 200)
        }
    }

    @Test("CORS: an allowed origin's preflight and request get credentials; others are refused")
    func cors() async throws {
        let origin = "http://localhost:8080"
        try await TestInstance.with(corsOrigins: [origin]) { app in
            let preflight = try await HTTPTestClient.send(
                "OPTIONS", "/register", port: app.port,
                headers: [
                    ("Origin", origin), ("Access-Control-Request-Method", "POST"),
                    ("Access-Control-Request-Headers", "content-type"),
                ])
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Origin") == origin)
            #expect(preflight.header("Access-Control-Allow-Credentials") == "true")
            #expect(preflight.header("Access-Control-Allow-Methods") == "GET, PUT, POST, DELETE")
            #expect(preflight.header("Access-Control-Allow-Headers") == "Content-Type")

            let request = try await HTTPTestClient.send(
                "POST", "/register", port: app.port,
                headers: [("Origin", origin), ("Content-Type", "application/json")], body: #"{"userName":"alice"}"#)
            #expect(request.status == 200)
            #expect(request.header("Access-Control-Allow-Origin") == origin)
            #expect(request.header("Access-Control-Allow-Credentials") == "true")

            let refused = try await HTTPTestClient.send(
                "OPTIONS", "/register", port: app.port,
                headers: [("Origin", "http://evil.example"), ("Access-Control-Request-Method", "POST")])
            #expect(refused.status == 403)
            #expect(refused.header("Access-Control-Allow-Origin") == nil)
        }
    }

    @Test("--cookie-name and --session-max-age shape the cookie")
    func cookieOptions() async throws {
        try await TestInstance.with(configure: { configuration in
            configuration.cookieName = "sesior.sid"
            configuration.sessionMaxAge = 3600
        }) { app in
            let response = try await app.post("/register", json: #"{"userName":"alice"}"#)
            let setCookie = try #require(response.header("Set-Cookie"))
            #expect(setCookie.hasPrefix("sesior.sid=s%3A"))
            #expect(setCookie.contains("; Expires="))
            let cookie = try #require(response.cookie)
            #expect(try await app.get("/verify-session", cookie: cookie).json?["sessionVerified"] as? Bool == true)
            let renamed = "connect.sid=" + cookie.dropFirst("sesior.sid=".count)
            #expect(try await app.get("/verify-session", cookie: renamed).body == #"{"sessionVerified":false}"#)
        }
    }
}
