import HTTPCore
import SessionKit
import SessionMiddleware
import Testing

@Suite("SessionMiddleware through App.respond(to:)")
struct SessionMiddlewareTests {
    @Test("a new session that is modified is stored and its signed cookie is set")
    func newSessionSetsCookie() async throws {
        let test = SessionTestApp()
        let response = await test.send(.post, "/name/alice")
        #expect(response.status == .ok)
        let setCookies = response.headers.values(for: "Set-Cookie")
        #expect(setCookies.count == 1)
        let setCookie = try #require(setCookies.first)
        #expect(setCookie.hasPrefix("connect.sid=s%3A"))
        #expect(setCookie.contains("; Path=/; HttpOnly"))
        let id = try #require(test.lifecycle.sessionID(fromCookieHeader: response.sessionCookie))
        let stored = try await test.store.get(id)
        #expect(stored?["name"] == .string("alice"))
    }

    @Test("an unmodified new session sets no cookie and stores nothing (saveUninitialized false)")
    func untouchedNewSession() async throws {
        let test = SessionTestApp()
        let response = await test.send(.get, "/name")
        #expect(response.bodyText == "-")
        #expect(response.headers.values(for: "Set-Cookie").isEmpty)
        #expect(try await test.store.length() == 0)
    }

    @Test("the session named by the cookie is reloaded on the next request")
    func existingCookieIsReloaded() async throws {
        let test = SessionTestApp()
        let cookie = try #require(await test.send(.post, "/name/alice").sessionCookie)
        let response = await test.send(.get, "/name", cookie: cookie)
        #expect(response.bodyText == "alice")
        #expect(response.headers.values(for: "Set-Cookie").isEmpty)
    }

    @Test("a change to an existing session is saved in the store")
    func modificationIsSaved() async throws {
        let test = SessionTestApp()
        let cookie = try #require(await test.send(.post, "/name/alice").sessionCookie)
        #expect(await test.send(.post, "/name/bob", cookie: cookie).status == .ok)
        let id = try #require(test.lifecycle.sessionID(fromCookieHeader: cookie))
        #expect(try await test.store.get(id)?["name"] == .string("bob"))
        #expect(await test.send(.get, "/name", cookie: cookie).bodyText == "bob")
    }

    @Test("a tampered cookie gives a fresh session, not an error")
    func tamperedCookie() async throws {
        let test = SessionTestApp()
        let cookie = try #require(await test.send(.post, "/name/alice").sessionCookie)
        let tampered = String(cookie.dropLast()) + (cookie.last == "A" ? "B" : "A")
        let response = await test.send(.get, "/name", cookie: tampered)
        #expect(response.status == .ok)
        #expect(response.bodyText == "-")
    }

    @Test("a store failure (loading, or saving at commit) is 503 with a JSON reason, never a fresh session")
    func storeFailureOnLoad() async throws {
        let test = SessionTestApp()
        let cookie = try #require(await test.send(.post, "/name/alice").sessionCookie)
        await test.store.setFailing(true)
        let loading = await test.send(.get, "/name", cookie: cookie)
        let committing = await test.send(.post, "/name/bob")
        for response in [loading, committing] {
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
            #expect(response.bodyText == #"{"error":"Session store unavailable"}"#)
            #expect(response.headers.values(for: "Set-Cookie").isEmpty)
        }
        await test.store.setFailing(false)
        #expect(await test.send(.get, "/name", cookie: cookie).bodyText == "alice")
    }

    @Test("a store failure inside a handler (regenerate) is 503 too")
    func storeFailureInHandler() async throws {
        let test = SessionTestApp()
        let cookie = try #require(await test.send(.post, "/name/alice").sessionCookie)
        let middleware = SessionMiddleware(lifecycle: test.lifecycle)
        let request = Request(head: HTTPRequestHead(method: .post, target: "/regenerate", headers: ["Cookie": cookie]))
        let response = try await middleware.handle(request) { request in
            await test.store.setFailing(true)
            try await request.requireSession().regenerate()
            return .text("unreachable")
        }
        #expect(response.status == .serviceUnavailable)
        #expect(response.bodyText == #"{"error":"Session store unavailable"}"#)
    }

    @Test("regenerate sends a new cookie and destroys the old session")
    func regenerateChangesCookie() async throws {
        let test = SessionTestApp()
        let cookie = try #require(await test.send(.post, "/name/alice").sessionCookie)
        let oldID = try #require(test.lifecycle.sessionID(fromCookieHeader: cookie))
        let response = await test.send(.post, "/regenerate", cookie: cookie)
        let newCookie = try #require(response.sessionCookie)
        let newID = try #require(test.lifecycle.sessionID(fromCookieHeader: newCookie))
        #expect(newCookie != cookie)
        #expect(newID != oldID)
        #expect(response.bodyText == newID)
        #expect(try await test.store.get(oldID) == nil)
        #expect(try await test.store.get(newID)?["name"] == .string("regenerated"))
        #expect(await test.send(.get, "/name", cookie: cookie).bodyText == "-")
        #expect(await test.send(.get, "/name", cookie: newCookie).bodyText == "regenerated")
    }

    @Test("an HTTPError response still commits the session, as express-session does on res.end")
    func errorResponseCommits() async throws {
        let test = SessionTestApp()
        let response = await test.send(.post, "/fail-after-change")
        #expect(response.status == .badRequest)
        #expect(response.bodyText == #"{"error":"nope"}"#)
        let cookie = try #require(response.sessionCookie)
        #expect(await test.send(.get, "/name", cookie: cookie).bodyText == "changed-before-error")
    }

    @Test(
        "secure: .auto follows the connection security policy",
        arguments: [
            (SessionMiddleware.ConnectionSecurity.plainHTTP, "https", false),
            (.trustForwardedProto, "https", true),
            (.trustForwardedProto, "http", false),
            (.alwaysSecure, "http", true),
        ])
    func secureAuto(security: SessionMiddleware.ConnectionSecurity, forwardedProto: String, secure: Bool) async throws {
        let test = SessionTestApp(connectionSecurity: security, cookie: SessionCookieOptions(secure: .auto))
        let response = await test.send(.post, "/name/alice", headers: ["X-Forwarded-Proto": forwardedProto])
        let setCookie = try #require(response.headers.values(for: "Set-Cookie").first)
        #expect(setCookie.hasSuffix("; Secure") == secure)
    }

    @Test("several Cookie header fields are read as one")
    func splitCookieHeaders() async throws {
        let test = SessionTestApp()
        let cookie = try #require(await test.send(.post, "/name/alice").sessionCookie)
        var headers: HTTPHeaders = ["Cookie": "theme=dark"]
        headers.add(name: "Cookie", value: cookie)
        #expect(await test.send(.get, "/name", headers: headers).bodyText == "alice")
    }
}
