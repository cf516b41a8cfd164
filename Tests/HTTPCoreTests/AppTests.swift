import Logging
import NIOCore
import Testing

@testable import HTTPCore

@Suite("App")
struct AppTests {
    typealias S = AppTestSupport

    struct Boom: Error {}

    @Test func routeAnswers() async throws {
        var app = App()
        app.get("/hello") { _ in .text("hi") }
        let response = await app.respond(to: S.request(.get, "/hello?x=1"))
        #expect(response.status == .ok)
        #expect(S.bodyText(response) == "hi")
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
    }

    @Test func unknownPathIsJSON404() async {
        let app = App()
        let response = await app.respond(to: S.request(.get, "/nope"))
        #expect(response.status == .notFound)
        #expect(S.bodyText(response) == #"{"error":"Not Found"}"#)
        #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
    }

    @Test func httpErrorBecomesItsStatusAndReason() async {
        var app = App()
        app.post("/x") { _ in throw HTTPError(.conflict, reason: "taken \"already\"", headers: ["X-A": "1"]) }
        let response = await app.respond(to: S.request(.post, "/x"))
        #expect(response.status == .conflict)
        #expect(S.bodyText(response) == #"{"error":"taken \"already\""}"#)
        #expect(response.headers["X-A"] == "1")
    }

    @Test func otherErrorsBecome500WithoutDetails() async {
        var app = App()
        app.get("/x") { _ in throw Boom() }
        let response = await app.respond(to: S.request(.get, "/x"))
        #expect(response.status == .internalServerError)
        #expect(S.bodyText(response) == #"{"error":"Internal Server Error"}"#)
    }

    @Test func errorThrownByMiddlewareBecomesJSON() async {
        var app = App()
        app.use { _, _ in throw HTTPError(.unauthorized) }
        app.get("/x") { _ in .text("never") }
        let response = await app.respond(to: S.request(.get, "/x"))
        #expect(response.status == .unauthorized)
        #expect(S.bodyText(response) == #"{"error":"Unauthorized"}"#)
    }

    @Test func middlewareRunsBeforeAndAfterNextInOrder() async {
        var app = App()
        app.use(TraceMiddleware(name: "a"))
        app.use(TraceMiddleware(name: "b"))
        app.get("/x") { request in .text(request.headers["X-Before"] ?? "") }
        let response = await app.respond(to: S.request(.get, "/x"))
        #expect(S.bodyText(response) == "a,b")
        #expect(response.headers["X-Trace"] == "b,a")
    }

    @Test func middlewareMayAnswerWithoutNext() async {
        var app = App()
        app.use { request, next in
            request.headers["Authorization"] == nil ? .text("denied", status: .forbidden) : try await next(request)
        }
        app.get("/x") { _ in .text("ok") }
        #expect(await app.respond(to: S.request(.get, "/x")).status == .forbidden)
        #expect(await app.respond(to: S.request(.get, "/x", headers: ["Authorization": "t"])).status == .ok)
    }

    @Test func middlewareAddedAfterRoutesOnlySeesFallThrough() async {
        var app = App()
        app.get("/x") { _ in .text("x") }
        app.use(TraceMiddleware(name: "late"))
        let matched = await app.respond(to: S.request(.get, "/x"))
        #expect(matched.headers["X-Trace"] == nil)
        let missed = await app.respond(to: S.request(.get, "/y"))
        #expect(missed.status == .notFound)
        #expect(missed.headers["X-Trace"] == "late")
    }

    @Test func middlewareCanCatchErrors() async {
        var app = App()
        app.use { request, next in
            do { return try await next(request) } catch { return .text("recovered", status: .serviceUnavailable) }
        }
        app.get("/x") { _ in throw Boom() }
        let response = await app.respond(to: S.request(.get, "/x"))
        #expect(response.status == .serviceUnavailable)
        #expect(S.bodyText(response) == "recovered")
    }

    @Test func jsonBuilders() async throws {
        struct User: Encodable { let name: String }
        let encoded = try Response.json(User(name: "ann"), status: .created)
        #expect(encoded.status == .created)
        #expect(S.bodyText(encoded) == #"{"name":"ann"}"#)
        #expect(encoded.headers["Content-Type"] == "application/json; charset=utf-8")
        let object = try Response.json(object: ["ok": true])
        #expect(S.bodyText(object) == #"{"ok":true}"#)
        #expect(S.bodyText(Response.html("<p>")) == "<p>")
        #expect(Response.noContent.status == .noContent)
    }

    @Test func errorReasonIsEscaped() {
        let response = Response(error: HTTPError(.badRequest, reason: "line\nbreak\u{1}"))
        #expect(S.bodyText(response) == #"{"error":"line\nbreak\u0001"}"#)
    }

    @Test func upgradeResponsePassesThroughMiddleware() async throws {
        var app = App()
        app.use(TraceMiddleware(name: "session"))
        app.get("/ws") { request in
            var response = Response(status: .switchingProtocols, headers: ["Upgrade": "echo"])
            response.headers.add(name: "X-Seen", value: request.headers["X-Before"] ?? "")
            response.upgrade = HTTPUpgrade { channel in channel.eventLoop.makeSucceededVoidFuture() }
            return response
        }
        let response = await app.respond(to: S.request(.get, "/ws"))
        #expect(response.status == .switchingProtocols)
        #expect(response.upgrade != nil)
        #expect(response.headers["X-Seen"] == "session")
        #expect(response.headers["X-Trace"] == "session")
    }
}
