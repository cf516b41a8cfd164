import NIOCore

@testable import HTTPCore

/// Builds requests and reads responses for tests that call `App.respond(to:)` directly.
enum AppTestSupport {
    static func request(_ method: HTTPMethod = .get, _ target: String, headers: HTTPHeaders = [:], body: String = "")
        -> Request
    {
        Request(head: HTTPRequestHead(method: method, target: target, headers: headers), body: ByteBuffer(string: body))
    }

    static func bodyText(_ response: Response) -> String? {
        guard case .bytes(let bytes) = response.body else { return nil }
        return String(buffer: bytes)
    }
}

/// A middleware that appends its name to the `X-Trace` header of the response after `next`,
/// and records its name in the `X-Before` request header before it.
struct TraceMiddleware: Middleware {
    let name: String

    func handle(_ request: Request, next: Next) async throws -> Response {
        var request = request
        let before = request.head.headers["X-Before"].map { $0 + "," + name } ?? name
        request.head.headers.replaceOrAdd(name: "X-Before", value: before)
        var response = try await next(request)
        let trace = response.headers["X-Trace"].map { $0 + "," + name } ?? name
        response.headers.replaceOrAdd(name: "X-Trace", value: trace)
        return response
    }
}
