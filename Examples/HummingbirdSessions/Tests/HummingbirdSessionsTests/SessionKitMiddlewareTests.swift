import Hummingbird
import HummingbirdSessions
import SessionKit
import Testing

/// `SessionKitMiddleware` in an in-process Hummingbird server on a `MemoryStore`.
@Suite("SessionKitMiddleware")
struct SessionKitMiddlewareTests {
    static let secret = "middleware-test-secret"

    /// A lifecycle with sesior's options on `store`.
    static func lifecycle(store: any SessionStore = MemoryStore()) -> SessionLifecycle {
        SessionLifecycle(configuration: SessionConfiguration(
            secrets: [secret], resave: false, saveUninitialized: false, store: store))
    }

    /// An app whose routes read and write the session: `GET /read` answers the `note` key,
    /// `POST /write` sets it from the body, `POST /fail` sets it and then throws a 400.
    static func router(lifecycle: SessionLifecycle, whileHandling: (@Sendable (Session) async throws -> Void)? = nil)
        -> Router<SessionsRequestContext>
    {
        let router = Router(context: SessionsRequestContext.self)
        router.add(middleware: SessionKitMiddleware(lifecycle: lifecycle))
        router.get("read") { _, context -> String in
            try context.requireSession().get("note", as: String.self) ?? "none"
        }
        router.post("write") { request, context -> String in
            let session = try context.requireSession()
            let note = String(buffer: try await request.body.collect(upTo: 1024))
            try await whileHandling?(session)
            try session.set("note", note)
            return "ok"
        }
        router.post("fail") { _, context -> String in
            try context.requireSession().set("note", "written before the error")
            throw APIError(.badRequest, "refused")
        }
        return router
    }

    @Test("an untouched new session is neither stored nor sent (saveUninitialized: false)")
    func untouchedSessionSendsNoCookie() async throws {
        let store = MemoryStore()
        try await LiveApplication.withRunning(Self.router(lifecycle: Self.lifecycle(store: store))) { port in
            let response = try await HTTPExchange.get("/read", port: port)
            #expect(response.body == "none")
            #expect(response.setCookies.isEmpty)
        }
        #expect(try await store.length() == 0)
    }

    @Test("a modified session is stored and its signed cookie sent once; the next request reads it")
    func modifiedSessionRoundTrip() async throws {
        let store = MemoryStore()
        let lifecycle = Self.lifecycle(store: store)
        try await LiveApplication.withRunning(Self.router(lifecycle: lifecycle)) { port in
            let write = try await HTTPExchange.post("/write", port: port, json: "hello")
            #expect(write.status == 200)
            let setCookie = try #require(write.setCookies.first)
            #expect(setCookie.hasPrefix("connect.sid=s%3A"))
            #expect(setCookie.hasSuffix("; Path=/; HttpOnly"))
            let cookie = try #require(write.cookie)
            let id = try #require(lifecycle.sessionID(fromCookieHeader: cookie))
            #expect(try await store.get(id)?["note"] == .string("hello"))

            let read = try await HTTPExchange.get("/read", port: port, cookie: cookie)
            #expect(read.body == "hello")
            #expect(read.setCookies.isEmpty, "unmodified: no cookie re-sent")
        }
    }

    @Test("a cookie signed with another secret gives a fresh session")
    func foreignSignatureIsIgnored() async throws {
        let store = MemoryStore()
        let stranger = SessionLifecycle(configuration: SessionConfiguration(secrets: ["another secret"], store: store))
        let id = SessionID.generate()
        try await store.set(id, SessionData(values: ["note": "secret note"]))
        let forged = String(stranger.setCookieHeaderValue(id: id, cookie: SessionCookie()).prefix { $0 != ";" })
        try await LiveApplication.withRunning(Self.router(lifecycle: Self.lifecycle(store: store))) { port in
            let read = try await HTTPExchange.get("/read", port: port, cookie: forged)
            #expect(read.body == "none")
        }
    }

    @Test("a change another writer makes while the handler runs is kept at commit")
    func concurrentWriterIsNotOverwritten() async throws {
        let store = MemoryStore()
        let lifecycle = Self.lifecycle(store: store)
        let id = SessionID.generate()
        try await store.set(id, SessionData(values: ["note": "old"]))
        let cookie = String(lifecycle.setCookieHeaderValue(id: id, cookie: SessionCookie()).prefix { $0 != ";" })
        // Another server (say sesior handling a socket event) changes the same session mid-request.
        let router = Self.router(lifecycle: lifecycle) { session in
            try await lifecycle.modify(sessionID: session.id) { data in data["theme"] = "dark" }
        }
        try await LiveApplication.withRunning(router) { port in
            let write = try await HTTPExchange.post("/write", port: port, cookie: cookie, json: "new")
            #expect(write.status == 200)
        }
        let stored = try #require(try await store.get(id))
        #expect(stored["note"] == .string("new"))
        #expect(stored["theme"] == .string("dark"))
    }

    @Test("an error response still commits the session, as express-session does on every response")
    func errorResponseCommits() async throws {
        let store = MemoryStore()
        try await LiveApplication.withRunning(Self.router(lifecycle: Self.lifecycle(store: store))) { port in
            let fail = try await HTTPExchange.post("/fail", port: port, json: "{}")
            #expect(fail.status == 400)
            #expect(fail.body == #"{"error":"refused"}"#)
            #expect(fail.setCookies.count == 1)
        }
        #expect(try await store.length() == 1)
    }

    @Test("a failing store answers 503 instead of a fresh session")
    func storeFailureIs503() async throws {
        let lifecycle = Self.lifecycle(store: FailingStore())
        let cookie = String(
            lifecycle.setCookieHeaderValue(id: SessionID.generate(), cookie: SessionCookie()).prefix { $0 != ";" })
        try await LiveApplication.withRunning(Self.router(lifecycle: lifecycle)) { port in
            let read = try await HTTPExchange.get("/read", port: port, cookie: cookie)
            #expect(read.status == 503)
            #expect(read.body == #"{"error":"Session store unavailable"}"#)
        }
    }
}

/// A store whose every call fails as an unreachable Redis would.
struct FailingStore: SessionStore {
    static let error = SessionStoreError.unavailable("store is down")

    func get(_ id: String) async throws -> SessionData? { throw Self.error }
    func set(_ id: String, _ data: SessionData) async throws { throw Self.error }
    func destroy(_ id: String) async throws { throw Self.error }
    func touch(_ id: String, _ data: SessionData) async throws { throw Self.error }
    func ids() async throws -> [String] { throw Self.error }
    func all() async throws -> [String: SessionData] { throw Self.error }
    func length() async throws -> Int { throw Self.error }
    func clear() async throws { throw Self.error }
    func update(_ id: String, _ transform: @Sendable (inout SessionData?) throws -> Void) async throws -> SessionData? {
        throw Self.error
    }
}
