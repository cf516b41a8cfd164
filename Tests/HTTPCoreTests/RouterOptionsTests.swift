import Testing

@testable import HTTPCore

/// `RouterOptions` with Express's defaults of `express.Router({ caseSensitive, strict, mergeParams })`.
@Suite("Router: options")
struct RouterOptionsTests {
    typealias S = AppTestSupport

    static func app(_ options: RouterOptions, route: String) -> App {
        var app = App(options: options)
        app.get(route) { request in .text(request.parameters["id"] ?? "hit") }
        return app
    }

    @Test(
        "case-insensitive by default: /Users matches /users; caseSensitive tells them apart",
        arguments: [
            ("/users", "/users", true, true), ("/users", "/Users", true, false), ("/Users", "/users", true, false),
            ("/users", "/USERS/", true, false), ("/café", "/CAFé", true, false),
        ])
    func caseSensitivity(route: String, path: String, byDefault: Bool, whenCaseSensitive: Bool) async {
        let status = { (matched: Bool) -> HTTPResponseStatus in matched ? .ok : .notFound }
        #expect(await Self.app([], route: route).respond(to: S.request(.get, path)).status == status(byDefault))
        #expect(
            await Self.app(.caseSensitive, route: route).respond(to: S.request(.get, path)).status
                == status(whenCaseSensitive))
    }

    @Test("captured values keep the request's case either way")
    func capturesKeepCase() async {
        for options in [RouterOptions(), .caseSensitive] {
            #expect(S.bodyText(await Self.app(options, route: "/users/:id").respond(to: S.request(.get, "/users/AbC"))) == "AbC")
        }
    }

    @Test(
        "a trailing slash is ignored by default; strict tells /users and /users/ apart",
        arguments: [
            ("/users", "/users", true, true), ("/users", "/users/", true, false), ("/users/", "/users", true, false),
            ("/users/", "/users/", true, true), ("/", "/", true, true), ("/files/*", "/files/a/", true, true),
        ])
    func strictness(route: String, path: String, byDefault: Bool, whenStrict: Bool) async {
        let status = { (matched: Bool) -> HTTPResponseStatus in matched ? .ok : .notFound }
        #expect(await Self.app([], route: route).respond(to: S.request(.get, path)).status == status(byDefault))
        #expect(await Self.app(.strict, route: route).respond(to: S.request(.get, path)).status == status(whenStrict))
    }

    @Test("a strict router mounted at /api answers its / route for /api and /api/")
    func strictMountedRoot() async {
        var api = Router(options: .strict)
        api.get("/") { _ in .text("root") }
        api.get("/users") { _ in .text("users") }
        var app = App(options: .strict)
        app.use("/api", api)
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/api"))) == "root")
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/api/"))) == "root")
        #expect(await app.respond(to: S.request(.get, "/api/users/")).status == .notFound)
    }

    @Test("a mount prefix follows the case sensitivity of the router it is mounted in")
    func mountPrefixCase() async {
        var api = Router()
        api.get("/Users") { _ in .text("users") }
        var insensitive = App()
        insensitive.use("/api", api)
        #expect(S.bodyText(await insensitive.respond(to: S.request(.get, "/API/users"))) == "users")
        var sensitive = App(options: .caseSensitive)
        sensitive.use("/api", api)
        #expect(await sensitive.respond(to: S.request(.get, "/API/users")).status == .notFound)
        #expect(S.bodyText(await sensitive.respond(to: S.request(.get, "/api/USERS"))) == "users")
    }

    static func echoParameters(_ request: Request) -> Response {
        .text(request.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))
    }

    @Test("without mergeParams a mounted router sees only its own parameters, with it also the mount path's")
    func mergeParams() async {
        var app = App()
        for (prefix, options) in [("/plain", RouterOptions()), ("/merged", .mergeParams)] {
            var items = Router(options: options)
            items.get("/:item") { Self.echoParameters($0) }
            items.use { request, next in
                var response = try await next(request)
                response.headers.add(name: "X-Middleware-Saw", value: Self.echoParameters(request).bodyText)
                return response
            }
            app.use(prefix + "/:list/items", items)
        }
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/plain/l1/items/i1"))) == "item=i1")
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/merged/l1/items/i1"))) == "item=i1;list=l1")
        let plainMiss = await app.respond(to: S.request(.get, "/plain/l1/items/i1/x"))
        #expect(plainMiss.headers["X-Middleware-Saw"] == "")
        let mergedMiss = await app.respond(to: S.request(.get, "/merged/l1/items/i1/x"))
        #expect(mergedMiss.headers["X-Middleware-Saw"] == "list=l1")
    }

    @Test("merged parameters: the router's own capture wins a name clash; merging goes down every level that asks")
    func mergeParamsNesting() async {
        var leaf = Router(options: .mergeParams)
        leaf.get("/:id") { Self.echoParameters($0) }
        var middle = Router(options: .mergeParams)
        middle.use("/:team", leaf)
        var app = App()
        app.use("/:id/orgs/:org", middle)
        #expect(S.bodyText(await app.respond(to: S.request(.get, "/1/orgs/o/t/2"))) == "id=2;org=o;team=t")

        var plainMiddle = Router()
        plainMiddle.use("/:team", leaf)
        var other = App()
        other.use("/:id/orgs/:org", plainMiddle)
        #expect(S.bodyText(await other.respond(to: S.request(.get, "/1/orgs/o/t/2"))) == "id=2;team=t")
    }
}
