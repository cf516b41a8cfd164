import NIOCore
import Testing

@testable import HTTPCore

@Suite("Router")
struct RouterTests {
    typealias S = AppTestSupport

    static func echoParameters(_ request: Request) -> Response {
        .text(request.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))
    }

    @Test(arguments: [
        ("/users/:id", "/users/42", "id=42"),
        ("/users/:id", "/users/42/", "id=42"),
        ("/users/:id/posts/:post", "/users/a/posts/b", "id=a;post=b"),
        ("/files/*", "/files/a/b/c.txt", "*=a/b/c.txt"),
        ("/files/*", "/files", "*="),
        ("/a/*/c", "/a/b/c", "*=b"),
        ("/users/:name", "/users/J%C3%BCrgen%20S", "name=Jürgen S"),
        ("/", "/", ""),
    ])
    func patternMatches(pattern: String, path: String, expected: String) async {
        var app = App()
        app.get(pattern) { Self.echoParameters($0) }
        let response = await app.respond(to: S.request(.get, path))
        #expect(response.status == .ok)
        #expect(S.bodyText(response) == expected)
    }

    @Test(arguments: [
        ("/users/:id", "/users"),
        ("/users/:id", "/users/1/2"),
        ("/a/*/c", "/a/c"),
    ])
    func patternMisses(pattern: String, path: String) async {
        var app = App()
        app.get(pattern) { _ in .text("hit") }
        #expect(await app.respond(to: S.request(.get, path)).status == .notFound)
    }

    @Test func firstMatchingRouteWins() async {
        var app = App()
        app.get("/users/me") { _ in .text("me") }
        app.get("/users/:id") { _ in .text("id") }
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/users/me"))) == "me")
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/users/7"))) == "id")
    }

    @Test func methodsAreDistinguished() async {
        var app = App()
        app.get("/r") { _ in .text("get") }
        app.post("/r") { _ in .text("post") }
        app.put("/r") { _ in .text("put") }
        app.patch("/r") { _ in .text("patch") }
        app.delete("/r") { _ in .text("delete") }
        app.options("/r") { _ in .text("options") }
        for method in [HTTPMethod.get, .post, .put, .patch, .delete, .options] {
            let response = await app.respond(to: S.request(method, "/r"))
            #expect(S.bodyText(response) == method.rawValue.lowercased())
        }
    }

    @Test func allMatchesEveryMethod() async {
        var app = App()
        app.all("/any") { request in .text(request.method.rawValue) }
        #expect(S.bodyText(await app.respond(to: S.request(HTTPMethod(rawValue: "PROPFIND"), "/any"))) == "PROPFIND")
    }

    @Test func headIsServedByGet() async {
        var app = App()
        app.get("/page") { request in .text("body of \(request.method)") }
        let response = await app.respond(to: S.request(.head, "/page"))
        #expect(response.status == .ok)
        #expect(S.bodyText(response) == "body of HEAD")
    }

    @Test func wrongMethodIs405WithAllow() async {
        var app = App()
        app.get("/r") { _ in .text("get") }
        app.post("/r") { _ in .text("post") }
        let response = await app.respond(to: S.request(.delete, "/r"))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD, POST, OPTIONS")
        #expect(S.bodyText(response) == #"{"error":"Method Not Allowed"}"#)
        let options = await app.respond(to: S.request(.options, "/r"))
        #expect(options.status == .noContent)
        #expect(options.headers["Allow"] == "GET, HEAD, POST, OPTIONS")
    }

    @Test func mountedRouterSeesPathBelowPrefix() async {
        var api = Router()
        api.get("/users/:id") { Self.echoParameters($0) }
        api.get("/") { _ in .text("api root") }
        var app = App()
        app.use("/api/:version", api)
        // Without `.mergeParams` the mount path's `:version` stays outside (RouterOptionsTests).
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/api/v2/users/9"))) == "id=9")
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/api/v1"))) == "api root")
        #expect(await app.respond(to: S.request(.get, "/users/9")).status == .notFound)
    }

    @Test func unansweredRequestFallsThroughMountedRouter() async {
        var api = Router()
        api.use(TraceMiddleware(name: "api"))
        api.get("/known") { _ in .text("known") }
        var app = App()
        app.use("/api", api)
        app.get("/api/other") { _ in .text("app") }
        let known = await app.respond(to: S.request(.get, "/api/known"))
        #expect(known.headers["X-Trace"] == "api")
        let other = await app.respond(to: S.request(.get, "/api/other"))
        #expect(S.bodyText(other) == "app")
        #expect(other.headers["X-Trace"] == "api")
    }

    @Test func routerMiddlewareOnlyRunsUnderItsPrefix() async {
        var admin = Router()
        admin.use { _, _ in throw HTTPError(.forbidden) }
        admin.get("/panel") { _ in .text("panel") }
        var app = App()
        app.use("/admin", admin)
        app.get("/public") { _ in .text("public") }
        #expect(await app.respond(to: S.request(.get, "/admin/panel")).status == .forbidden)
        #expect(await app.respond(to: S.request(.get, "/public")).status == .ok)
    }
}
