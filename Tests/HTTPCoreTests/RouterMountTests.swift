import Foundation
import Testing

@testable import HTTPCore

/// Mounted routers and `use(prefix, middleware)` as Express 4 documents them (`app.use`,
/// `express.Router`, `req.path`, `req.baseUrl`, `req.originalUrl`).
@Suite("Router: mount points")
struct RouterMountTests {
    typealias S = AppTestSupport

    /// `path|baseURL|originalURL` of the request as the handler sees it.
    static func describe(_ request: Request) -> Response {
        .text("\(request.path)|\(request.baseURL)|\(request.originalURL)")
    }

    @Test("the birds router of the routing guide answers /birds and /birds/about, with its own middleware")
    func birdsRouter() async {
        var birds = Router()
        birds.use(TraceMiddleware(name: "timeLog"))
        birds.get("/") { _ in .text("Birds home page") }
        birds.get("/about") { _ in .text("About birds") }
        var app = App()
        app.use("/birds", birds)
        for (path, body) in [("/birds", "Birds home page"), ("/birds/", "Birds home page"), ("/birds/about", "About birds")] {
            let response = await app.respond(to: S.request(.get, path))
            #expect(S.bodyText(response) == body)
            #expect(response.headers["X-Trace"] == "timeLog")
        }
        let outside = await app.respond(to: S.request(.get, "/about"))
        #expect(outside.status == .notFound)
        #expect(outside.headers["X-Trace"] == nil)
    }

    @Test("req.baseUrl is /greet in the greet router's /jp route (Express's example)")
    func greetBaseURL() async {
        var greet = Router()
        greet.get("/jp") { request in .text("\(request.baseURL) Konichiwa!") }
        var app = App()
        app.use("/greet", greet)
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/greet/jp"))) == "/greet Konichiwa!")
    }

    @Test("baseURL is the matched string, not the pattern: a parameter's value, the request's case")
    func baseURLIsTheMatchedString() async {
        var api = Router()
        api.get("/users") { Self.describe($0) }
        var app = App()
        app.use("/api/:version", api)
        app.use("/greet", api)
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/api/v2/users"))) == "/users|/api/v2|/api/v2/users")
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/GREET/users"))) == "/users|/GREET|/GREET/users")
    }

    @Test("req.originalUrl is /admin/new?sort=desc where baseUrl is /admin and path /new (Express's example)")
    func adminOriginalURL() async {
        var app = App()
        app.use("/admin") { request, next in
            var response = try await next(request)
            response.headers.add(name: "X-Seen", value: "\(request.originalURL) \(request.baseURL) \(request.path)")
            return response
        }
        app.get("/admin/new") { Self.describe($0) }
        let response = await app.respond(to: S.request(.get, "/admin/new?sort=desc"))
        #expect(response.headers["X-Seen"] == "/admin/new?sort=desc /admin /new")
        // The route after the prefixed middleware sees the request above the prefix again.
        #expect(S.bodyText(response) == "/admin/new||/admin/new?sort=desc")
    }

    @Test(
        "inside a router mounted at /api the path is relative to the mount point",
        arguments: [
            ("/api/users/1", "/users/1|/api|/api/users/1"),
            ("/api/users/1?x=1", "/users/1|/api|/api/users/1?x=1"),
            ("/api", "/|/api|/api"),
            ("/api/", "/|/api|/api/"),
            ("/api?sort=desc", "/|/api|/api?sort=desc"),
            ("/api//users/1", "//users/1|/api|/api//users/1"),
        ])
    func pathBelowMountPoint(target: String, expected: String) async {
        var api = Router()
        api.get("/users/:id") { Self.describe($0) }
        api.get("/") { Self.describe($0) }
        var app = App()
        app.use("/api", api)
        #expect(S.bodyText(await app.respond(to: S.request(.get, target))) == expected)
    }

    @Test("outside mounts path is the whole path, baseURL empty, originalURL the target")
    func topLevel() async {
        var app = App()
        app.get("/users") { Self.describe($0) }
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/users?sort=desc"))) == "/users||/users?sort=desc")
    }

    @Test("nested routers accumulate the base URL: /api/v1")
    func nestedRouters() async {
        var v1 = Router()
        v1.get("/users/:id") { request in .text("\(Self.describe(request).bodyText) id=\(request.parameters["id"] ?? "")") }
        var api = Router()
        api.use { request, next in
            var response = try await next(request)
            response.headers.add(name: "X-API-Saw", value: "\(request.baseURL) \(request.path)")
            return response
        }
        api.use("/v1", v1)
        var app = App()
        app.use("/api", api)
        let response = await app.respond(to: S.request(.get, "/api/v1/users/7?q=1"))
        #expect(S.bodyText(response) == "/users/7|/api/v1|/api/v1/users/7?q=1 id=7")
        #expect(response.headers["X-API-Saw"] == "/api /v1/users/7")
    }

    @Test("after a mounted router falls through, the next layers see the original path, base URL and parameters")
    func fallThroughRestores() async {
        var v1 = Router()
        v1.use(TraceMiddleware(name: "v1"))
        v1.get("/known") { _ in .text("known") }
        var api = Router()
        api.use("/:version", v1)
        api.get("/v1/other") { request in .text("\(Self.describe(request).bodyText) \(request.parameters)") }
        var app = App()
        app.use("/api", api)
        app.get("/api/v1/last") { request in .text("\(Self.describe(request).bodyText) \(request.parameters)") }

        let inner = await app.respond(to: S.request(.get, "/api/v1/other"))
        #expect(S.bodyText(inner) == "/v1/other|/api|/api/v1/other [:]")
        #expect(inner.headers["X-Trace"] == "v1")
        // The change v1's middleware made to the request (a header) stays, as in Express.
        let outer = await app.respond(to: S.request(.get, "/api/v1/last"))
        #expect(S.bodyText(outer) == "/api/v1/last||/api/v1/last [:]")
        #expect(outer.headers["X-Trace"] == "v1")
    }

    @Test(
        "a mount prefix matches at segment boundaries only",
        arguments: [
            ("/api", true), ("/api/", true), ("/api/x", true), ("/api/x/y", true), ("/API/x", true),
            ("/apix", false), ("/ap", false), ("/x/api", false), ("/", false),
        ])
    func prefixBoundary(path: String, enters: Bool) async {
        var api = Router()
        api.all("*") { _ in .text("api") }
        var app = App()
        app.use("/api", api)
        app.all("*") { _ in .text("app") }
        #expect(S.bodyText(await app.respond(to: S.request(.get, path))) == (enters ? "api" : "app"))
    }

    @Test("use(prefix, middleware) runs only under the prefix, seeing the path below it")
    func prefixedMiddleware() async {
        var app = App()
        app.use("/apple") { request, next in
            var response = try await next(request)
            response.headers.add(name: "X-Apple", value: "\(request.baseURL) \(request.path)")
            return response
        }
        app.all("*") { _ in .text("app") }
        for (path, seen) in [
            ("/apple", "/apple /"), ("/apple/images", "/apple /images"), ("/apple/images/news", "/apple /images/news"),
            ("/applesauce", nil), ("/", nil),
        ] as [(String, String?)] {
            #expect(await app.respond(to: S.request(.get, path)).headers["X-Apple"] == seen)
        }
    }

    @Test("a prefixed middleware sees the prefix's parameters; the next layers do not")
    func prefixedMiddlewareParameters() async {
        var app = App()
        app.use("/users/:id") { request, next in
            var response = try await next(request)
            response.headers.add(name: "X-Id", value: request.parameters["id"] ?? "none")
            return response
        }
        app.get("/users/:id/posts") { request in .text("\(request.parameters)") }
        app.get("/users/:user/likes") { request in .text("\(request.parameters)") }
        let posts = await app.respond(to: S.request(.get, "/users/4/posts"))
        #expect(posts.headers["X-Id"] == "4")
        #expect(S.bodyText(posts) == #"["id": "4"]"#)
        let likes = await app.respond(to: S.request(.get, "/users/5/likes"))
        #expect(likes.headers["X-Id"] == "5")
        #expect(S.bodyText(likes) == #"["user": "5"]"#)
    }

    /// Handles requests below its mount point whose path is `/run`; passes the others on.
    struct RunOnly: Middleware {
        func handle(_ request: Request, next: Next) async throws -> Response {
            #expect(!passesOn(request), "the router entered a middleware that passes the request on")
            return .text("ran at \(request.path)")
        }

        func passesOn(_ request: Request) -> Bool { request.path != "/run" }
    }

    @Test("passesOn of a prefixed middleware is asked with the path below the prefix")
    func prefixedPassesOn() async {
        var app = App()
        app.use("/tools", RunOnly())
        app.all("*") { request in .text("app at \(request.path)") }
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/tools/run"))) == "ran at /run")
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/tools/skip"))) == "app at /tools/skip")
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/run"))) == "app at /run")
    }

    @Test("use(\"/\", middleware) runs for every request, as a middleware without a path")
    func rootPrefix() async {
        var app = App()
        app.use("/", TraceMiddleware(name: "root"))
        app.get("/a/b") { Self.describe($0) }
        let response = await app.respond(to: S.request(.get, "/a/b"))
        #expect(response.headers["X-Trace"] == "root")
        #expect(S.bodyText(response) == "/a/b||/a/b")
    }

    @Test("a router's 405 and its errors reach the client through the mount point")
    func errorsThroughMounts() async {
        var api = Router()
        api.get("/items") { _ in .text("items") }
        api.get("/boom") { _ in throw HTTPError(.conflict, reason: "busy") }
        var app = App()
        app.use("/api", api)
        let wrongMethod = await app.respond(to: S.request(.delete, "/api/items"))
        #expect(wrongMethod.status == .methodNotAllowed)
        #expect(wrongMethod.headers["Allow"] == "GET, HEAD, OPTIONS")
        let boom = await app.respond(to: S.request(.get, "/api/boom"))
        #expect(boom.status == .conflict)
        #expect(S.bodyText(boom) == #"{"error":"busy"}"#)
    }

    @Test("express.static mounted at /static serves by the path below it and redirects a folder by the whole path")
    func staticFilesUnderAPrefix() async throws {
        let root = try MiddlewareStaticFileTests.makeRoot()
        var app = App()
        app.use("/static", StaticFileMiddleware(root: root))
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/static/style.css"))) == "body{}")
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/static/"))) == "<h1>home</h1>")
        let sub = await app.respond(to: S.request(.get, "/static/sub?x=1"))
        #expect(sub.status.code == 301)
        #expect(sub.headers["Location"] == "/static/sub/?x=1")
        let top = await app.respond(to: S.request(.get, "/static"))
        #expect(top.status.code == 301)
        #expect(top.headers["Location"] == "/static/")
        #expect(await app.respond(to: S.request(.get, "/style.css")).status == .notFound)
    }
}
