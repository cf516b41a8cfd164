import Foundation
import Testing

/// The real `sesior` binary and the real `hummingbird-sessions` binary on one Redis with one secret:
/// a session created by either is the other's session.
@Suite("sessions shared between sesior and the Hummingbird example", .serialized)
struct SessionSharingTests {
    @Test("a user registered on sesior is verified by the Hummingbird app with sesior's cookie")
    func sesiorToHummingbird() async throws {
        try await SharedServers.withRunning { servers in
            let register = try await HTTPExchange.post(
                "/register", port: servers.sesior.port, json: #"{"userName":"alice"}"#)
            #expect(register.status == 200)
            #expect(register.body == #"{"membershipResolved":true,"user":{"userName":"alice"}}"#)
            let cookie = try #require(register.cookie)
            #expect(cookie.hasPrefix("connect.sid=s%3A"))

            let verify = try await HTTPExchange.get("/verify-session", port: servers.hummingbird.port, cookie: cookie)
            #expect(verify.status == 200)
            #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"alice"}}"#)
            #expect(verify.setCookies.isEmpty, "an unmodified browser-session cookie is not re-sent")
        }
    }

    @Test("a user registered on the Hummingbird app is verified by sesior with its cookie")
    func hummingbirdToSesior() async throws {
        try await SharedServers.withRunning { servers in
            let register = try await HTTPExchange.post(
                "/register", port: servers.hummingbird.port, json: #"{"userName":"bob"}"#)
            #expect(register.status == 200)
            #expect(register.body == #"{"membershipResolved":true,"user":{"userName":"bob"}}"#)
            let cookie = try #require(register.cookie)
            #expect(cookie.hasPrefix("connect.sid=s%3A"))

            let verify = try await HTTPExchange.get("/verify-session", port: servers.sesior.port, cookie: cookie)
            #expect(verify.status == 200)
            #expect(verify.body == #"{"sessionVerified":true,"user":{"userName":"bob"}}"#)
        }
    }

    @Test("a name taken through one server is refused by the other (one user registry)")
    func duplicateNameAcrossServers() async throws {
        try await SharedServers.withRunning { servers in
            let first = try await HTTPExchange.post(
                "/register", port: servers.hummingbird.port, json: #"{"userName":"carol"}"#)
            #expect(first.status == 200)
            let second = try await HTTPExchange.post(
                "/register", port: servers.sesior.port, json: #"{"userName":"carol"}"#)
            #expect(second.status == 409)
            #expect(second.body == #"{"membershipResolved":false,"error":"User already exists"}"#)
            let third = try await HTTPExchange.post(
                "/register", port: servers.hummingbird.port, json: #"{"userName":"carol"}"#)
            #expect(third.status == 409)
            #expect(third.body == #"{"membershipResolved":false,"error":"User already exists"}"#)
        }
    }

    @Test("a tampered cookie is refused by both servers", arguments: [Tampering.signature, .sessionID, .unsigned])
    func tamperedCookie(_ tampering: Tampering) async throws {
        try await SharedServers.withRunning { servers in
            let register = try await HTTPExchange.post(
                "/register", port: servers.sesior.port, json: #"{"userName":"dave"}"#)
            let cookie = try #require(register.cookie)
            let forged = tampering.apply(to: cookie)
            #expect(forged != cookie)
            for server in [servers.sesior, servers.hummingbird] {
                let genuine = try await HTTPExchange.get("/verify-session", port: server.port, cookie: cookie)
                #expect(genuine.body == #"{"sessionVerified":true,"user":{"userName":"dave"}}"#, "\(server.name)")
                let verify = try await HTTPExchange.get("/verify-session", port: server.port, cookie: forged)
                #expect(verify.status == 200, "\(server.name)")
                #expect(verify.body == #"{"sessionVerified":false}"#, "\(server.name)")
            }
        }
    }

    @Test("a rename on either server is seen by the other, and the old cookie is dead on both")
    func renameSeenByTheOther() async throws {
        try await SharedServers.withRunning { servers in
            let register = try await HTTPExchange.post(
                "/register", port: servers.sesior.port, json: #"{"userName":"erin"}"#)
            let first = try #require(register.cookie)

            let renamed = try await HTTPExchange.post(
                "/register", port: servers.hummingbird.port, cookie: first, json: #"{"userName":"erin2"}"#)
            #expect(renamed.body == #"{"membershipResolved":true,"user":{"userName":"erin2"}}"#)
            let second = try #require(renamed.cookie, "the session id is regenerated, so a new cookie is sent")
            #expect(second != first)
            let onSesior = try await HTTPExchange.get("/verify-session", port: servers.sesior.port, cookie: second)
            #expect(onSesior.body == #"{"sessionVerified":true,"user":{"userName":"erin2"}}"#)
            let oldOnSesior = try await HTTPExchange.get("/verify-session", port: servers.sesior.port, cookie: first)
            #expect(oldOnSesior.body == #"{"sessionVerified":false}"#)

            let back = try await HTTPExchange.post(
                "/register", port: servers.sesior.port, cookie: second, json: #"{"userName":"erin3"}"#)
            #expect(back.body == #"{"membershipResolved":true,"user":{"userName":"erin3"}}"#)
            let third = try #require(back.cookie)
            let onHummingbird = try await HTTPExchange.get(
                "/verify-session", port: servers.hummingbird.port, cookie: third)
            #expect(onHummingbird.body == #"{"sessionVerified":true,"user":{"userName":"erin3"}}"#)
            let oldOnHummingbird = try await HTTPExchange.get(
                "/verify-session", port: servers.hummingbird.port, cookie: second)
            #expect(oldOnHummingbird.body == #"{"sessionVerified":false}"#)

            // The names given up by the renames are free again, on both servers.
            let reuse = try await HTTPExchange.post(
                "/register", port: servers.sesior.port, json: #"{"userName":"erin2"}"#)
            #expect(reuse.status == 200)
            let reuseFirst = try await HTTPExchange.post(
                "/register", port: servers.hummingbird.port, json: #"{"userName":"erin"}"#)
            #expect(reuseFirst.status == 200)
        }
    }

    @Test("both servers answer the same to a request without a session, and to bad register bodies")
    func sameAnswersWithoutSession() async throws {
        try await SharedServers.withRunning { servers in
            for server in [servers.sesior, servers.hummingbird] {
                let verify = try await HTTPExchange.get("/verify-session", port: server.port)
                #expect(verify.status == 200, "\(server.name)")
                #expect(verify.body == #"{"sessionVerified":false}"#, "\(server.name)")
                #expect(verify.setCookies.isEmpty, "\(server.name): no cookie for an uninitialized session")
                let missing = try await HTTPExchange.post("/register", port: server.port, json: #"{"name":"x"}"#)
                #expect(missing.status == 400, "\(server.name)")
                #expect(missing.body == #"{"error":"userName must be a string"}"#, "\(server.name)")
                let blank = try await HTTPExchange.post("/register", port: server.port, json: #"{"userName":"  "}"#)
                #expect(blank.status == 400, "\(server.name)")
                #expect(blank.body == #"{"error":"User name must not be empty"}"#, "\(server.name)")
            }
        }
    }
}

/// Ways to forge a cookie from a genuine `connect.sid=s%3A<id>.<signature>`.
enum Tampering: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// One character of the signature changed.
    case signature
    /// One character of the session id changed, signature kept.
    case sessionID
    /// The `s:` prefix dropped (an unsigned id).
    case unsigned

    var testDescription: String { rawValue }

    func apply(to cookie: String) -> String {
        let prefix = "connect.sid=s%3A"
        let value = String(cookie.dropFirst(prefix.count))
        let dot = value.lastIndex(of: ".") ?? value.endIndex
        let id = String(value[..<dot])
        let signature = String(value[dot...])
        switch self {
        case .signature:
            return prefix + id + "." + Self.flipped(String(signature.dropFirst()))
        case .sessionID:
            return prefix + Self.flipped(id) + signature
        case .unsigned:
            return "connect.sid=" + id
        }
    }

    /// `text` with its first character replaced by a different one.
    private static func flipped(_ text: String) -> String {
        let replacement: Character = text.first == "A" ? "B" : "A"
        return String(replacement) + text.dropFirst()
    }
}
