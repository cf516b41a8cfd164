import Testing

@testable import HTTPCore

/// `param(_:_:)` as Express 4 documents `router.param` / `app.param`.
@Suite("Router: parameter handlers")
struct RouterParamTests {
    typealias S = AppTestSupport

    /// The user a parameter handler loaded for `:user`.
    enum LoadedUser: RequestExtensionKey {
        typealias Value = String
    }

    /// A parameter handler that notes `name=value` in the response's `X-Param` header on the way back.
    static func noting(_ name: String) -> ParameterHandler {
        { request, value, next in
            var response = try await next(request)
            response.headers.add(name: "X-Param", value: "\(name)=\(value)")
            return response
        }
    }

    static func calls(_ response: Response) -> [String] { response.headers.values(for: "X-Param").reversed() }

    @Test("the user example: the handler loads the user onto the request, or fails the request")
    func loadsUser() async {
        let users = ["42": "Ada"]
        var router = Router()
        router.param("user") { request, id, next in
            guard let user = users[id] else { throw HTTPError(.notFound, reason: "failed to load user") }
            var request = request
            request.extensions[LoadedUser.self] = user
            return try await next(request)
        }
        router.get("/users/:user") { request in .text("hello \(request.extensions[LoadedUser.self] ?? "?")") }
        var app = App()
        app.use(router)
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/users/42"))) == "hello Ada")
        let missing = await app.respond(to: S.request(.get, "/users/7"))
        #expect(missing.status == .notFound)
        #expect(S.bodyText(missing) == #"{"error":"failed to load user"}"#)
    }

    @Test("called only once in a request even when several layers match the parameter")
    func calledOncePerRequest() async {
        var app = App()
        app.param("id", Self.noting("id"))
        app.use("/user/:id") { request, next in
            var response = try await next(request)
            response.headers.add(name: "X-Layer", value: "although this matches")
            return response
        }
        app.use("/user/:id", TraceMiddleware(name: "and this matches too"))
        app.get("/user/:id") { request in .text("user \(request.parameters["id"] ?? "")") }
        let response = await app.respond(to: S.request(.get, "/user/42"))
        #expect(S.bodyText(response) == "user 42")
        #expect(Self.calls(response) == ["id=42"])
        #expect(response.headers["X-Layer"] == "although this matches")
        #expect(response.headers["X-Trace"] == "and this matches too")
        // Once per request: the next request runs it again.
        #expect(Self.calls(await app.respond(to: S.request(.get, "/user/43"))) == ["id=43"])
    }

    @Test("called again in the same request when a later layer captures another value")
    func calledAgainForAnotherValue() async {
        var app = App()
        app.param("id", Self.noting("id"))
        app.use("/a/:id", TraceMiddleware(name: "prefix"))
        app.get("/a/:x/b/:id") { _ in .text("route") }
        #expect(Self.calls(await app.respond(to: S.request(.get, "/a/1/b/2"))) == ["id=1", "id=2"])
        #expect(Self.calls(await app.respond(to: S.request(.get, "/a/3/b/3"))) == ["id=3"])
    }

    @Test("handlers run in the order of the path's parameters, each name's in registration order")
    func order() async {
        var app = App()
        app.param("b", Self.noting("b"))
        app.param("a", Self.noting("a1"))
        app.param("a", Self.noting("a2"))
        app.get("/:a/:b") { _ in .text("route") }
        #expect(Self.calls(await app.respond(to: S.request(.get, "/x/y"))) == ["a1=x", "a2=x", "b=y"])
    }

    @Test("not called for layers without the parameter, nor for a route whose method does not match")
    func notCalledWithoutAMatch() async {
        var app = App()
        app.param("id", Self.noting("id"))
        app.get("/other") { _ in .text("other") }
        app.get("/items/:id") { _ in .text("item") }
        #expect(Self.calls(await app.respond(to: S.request(.get, "/other"))).isEmpty)
        let wrongMethod = await app.respond(to: S.request(.post, "/items/1"))
        #expect(wrongMethod.status == .methodNotAllowed)
        #expect(Self.calls(wrongMethod).isEmpty)
    }

    @Test("a handler can answer by itself: the route does not run")
    func answersByItself() async {
        var app = App()
        app.param("id") { _, value, _ in
            guard value.allSatisfy(\.isNumber) else { return .text("not a number", status: .badRequest) }
            throw HTTPError(.internalServerError, reason: "unreachable in this test")
        }
        app.get("/items/:id") { _ in .text("item") }
        let response = await app.respond(to: S.request(.get, "/items/abc"))
        #expect(response.status == .badRequest)
        #expect(S.bodyText(response) == "not a number")
    }

    @Test("handlers are local to their router: a mounted router does not run its parent's")
    func localToTheRouter() async {
        var users = Router()
        users.param("id", Self.noting("users.id"))
        users.get("/:id") { _ in .text("user") }
        var app = App()
        app.param("id", Self.noting("app.id"))
        app.param("team", Self.noting("app.team"))
        app.use("/teams/:team/users", users)
        app.use("/users", users)
        // The app's handler runs for the mount path's capture; the router's for its route's.
        #expect(Self.calls(await app.respond(to: S.request(.get, "/teams/t1/users/u1"))) == ["app.team=t1", "users.id=u1"])
        #expect(Self.calls(await app.respond(to: S.request(.get, "/users/u2"))) == ["users.id=u2"])
    }

    @Test("a mounted router's handlers run afresh in each router it is entered from")
    func freshPerEntry() async {
        var first = Router()
        first.param("id", Self.noting("first"))
        first.use("/:id", TraceMiddleware(name: "first"))
        var second = Router()
        second.param("id", Self.noting("second"))
        second.get("/:id") { _ in .text("second") }
        var app = App()
        app.use("/x", first)
        app.use("/x", second)
        let response = await app.respond(to: S.request(.get, "/x/9"))
        #expect(S.bodyText(response) == "second")
        #expect(Self.calls(response) == ["first=9", "second=9"])
    }
}
