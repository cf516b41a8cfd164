import HTTPCore
import NIOCore
import SessionKit
import SessionMiddleware

/// A `MemoryStore` that can be told to fail every call, as an unreachable Redis would.
actor SwitchableStore: SessionStore {
    let inner = MemoryStore()
    private var failing = false

    func setFailing(_ value: Bool) { failing = value }

    private func check() throws {
        if failing { throw SessionStoreError.unavailable("connection refused") }
    }

    func get(_ id: String) async throws -> SessionData? { try check(); return try await inner.get(id) }
    func set(_ id: String, _ data: SessionData) async throws { try check(); try await inner.set(id, data) }
    func destroy(_ id: String) async throws { try check(); try await inner.destroy(id) }
    func touch(_ id: String, _ data: SessionData) async throws { try check(); try await inner.touch(id, data) }
    func ids() async throws -> [String] { try check(); return try await inner.ids() }
    func all() async throws -> [String: SessionData] { try check(); return try await inner.all() }
    func length() async throws -> Int { try check(); return try await inner.length() }
    func clear() async throws { try check(); try await inner.clear() }
    func update(_ id: String, _ transform: @Sendable (inout SessionData?) throws -> Void) async throws -> SessionData? {
        try check()
        return try await inner.update(id, transform)
    }
}

/// An app with `SessionMiddleware` in front of a few routes that read and change the session.
struct SessionTestApp {
    let store = SwitchableStore()
    let lifecycle: SessionLifecycle
    let app: App

    init(
        connectionSecurity: SessionMiddleware.ConnectionSecurity = .plainHTTP,
        cookie: SessionCookieOptions = SessionCookieOptions()
    ) {
        lifecycle = SessionLifecycle(
            configuration: SessionConfiguration(
                secrets: ["middleware test secret"], cookie: cookie, resave: false, saveUninitialized: false,
                store: store))
        var app = App()
        app.use(SessionMiddleware(lifecycle: lifecycle, connectionSecurity: connectionSecurity))
        app.get("/name") { request in
            let name = try request.requireSession().get("name", as: String.self)
            return .text(name ?? "-")
        }
        app.post("/name/:value") { request in
            try request.requireSession().set("name", request.parameters["value"])
            return .text("ok")
        }
        app.post("/regenerate") { request in
            let session = try request.requireSession()
            try await session.regenerate()
            try session.set("name", "regenerated")
            return .text(session.id)
        }
        app.post("/fail-after-change") { request in
            try request.requireSession().set("name", "changed-before-error")
            throw HTTPError(.badRequest, reason: "nope")
        }
        self.app = app
    }

    /// Sends a request through `App.respond(to:)`.
    func send(_ method: HTTPMethod, _ target: String, cookie: String? = nil, headers: HTTPHeaders = [:]) async -> Response {
        var headers = headers
        if let cookie { headers.add(name: "Cookie", value: cookie) }
        return await app.respond(to: Request(head: HTTPRequestHead(method: method, target: target, headers: headers)))
    }
}

extension Response {
    var bodyText: String {
        guard case .bytes(let bytes) = body else { return "" }
        return String(buffer: bytes)
    }

    /// The `name=value` pair of the response's only Set-Cookie header, to send back as `Cookie`.
    var sessionCookie: String? {
        headers.values(for: "Set-Cookie").first.map { String($0.prefix { $0 != ";" }) }
    }
}
