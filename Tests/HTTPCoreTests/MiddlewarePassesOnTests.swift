import Testing

@testable import HTTPCore

@Suite("Middleware.passesOn")
struct MiddlewarePassesOnTests {
    typealias S = AppTestSupport

    /// Passes on requests whose path starts with `/skip`; otherwise adds `X-Handled` to the response.
    struct Marking: Middleware {
        func handle(_ request: Request, next: Next) async throws -> Response {
            #expect(!passesOn(request), "the router entered a middleware that passes the request on")
            var response = try await next(request)
            response.headers.add(name: "X-Handled", value: "yes")
            return response
        }

        func passesOn(_ request: Request) -> Bool { request.path.hasPrefix("/skip") }
    }

    /// Never entered: it passes on every request.
    struct Transparent: Middleware {
        struct Entered: Error {}
        func handle(_ request: Request, next: Next) async throws -> Response { throw Entered() }
        func passesOn(_ request: Request) -> Bool { true }
    }

    @Test(arguments: [("/skip/a", nil), ("/run/a", "yes")] as [(String, String?)])
    func routerSkipsMiddlewareThatPassesOn(path: String, handled: String?) async {
        var app = App()
        app.use(Transparent())
        app.use(Marking())
        app.get("/:section/a") { request in .text(request.parameters["section"] ?? "") }
        let response = await app.respond(to: S.request(.get, path))
        #expect(response.status == .ok)
        #expect(response.headers["X-Handled"] == handled)
        #expect(S.bodyText(response) == String(path.dropFirst().prefix { $0 != "/" }))
    }

    @Test func skippedLayersStillReachMountedRoutersAndFallback() async {
        var api = Router()
        api.use(Transparent())
        api.get("/items") { _ in .text("items") }
        var app = App()
        app.use(Transparent())
        app.use("/api", api)
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/api/items"))) == "items")
        #expect(await app.respond(to: S.request(.get, "/api/none")).status == .notFound)
        #expect(await app.respond(to: S.request(.post, "/api/items")).status == .methodNotAllowed)
    }

    @Test func requestCopiesAreIndependent() {
        let original = S.request(.get, "/a", headers: ["X": "1"])
        var copy = original
        copy.parameters["id"] = "7"
        copy.head.headers.add(name: "Y", value: "2")
        copy.connection = HTTPConnectionLifetime()
        #expect(original.parameters.isEmpty)
        #expect(original.headers["Y"] == nil)
        #expect(original.connection == nil)
        #expect(copy.parameters["id"] == "7")
        #expect(copy.headers["Y"] == "2")
        #expect(copy.headers["X"] == "1")
    }
}

@Suite("Request path and segments")
struct RequestPathTests {
    @Test(arguments: [
        "/", "/a/b", "/a//b/", "//", "/a?x=1", "/a?", "?q", "/a/b?c/d?e", "/é/ü?x", "/a?\u{301}b", "/\u{301}/b",
        "/x\u{301}?y", "",
    ])
    func pathAndSegmentsMatchTheCharacterForms(target: String) {
        let request = Request(head: HTTPRequestHead(method: .get, target: target))
        #expect(request.path == request.head.path)
        #expect(App.segments(of: request.path) == request.path.split(separator: "/"))
    }
}
