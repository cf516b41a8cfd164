import NIOCore
import Testing

@testable import HTTPCore

@Suite("Middleware: cookies and CORS")
struct MiddlewareCookieCORSTests {
    @Test("cookies: first wins, quotes removed, junk skipped, percent-decoded")
    func cookies() async throws {
        let next = RecordingNext()
        let headers: HTTPHeaders = [
            "Cookie": #"connect.sid=s%3Aabc.sig; theme="dark"; junk; =novalue; theme=light;  spaced = v ; bad=%zz"#,
            "cookie": "late=1; connect.sid=other",
        ]
        _ = try await CookieParser().handle(makeRequest(headers: headers), next: next.next)
        let cookies = try #require(next.received?.cookies)
        #expect(cookies == ["connect.sid": "s:abc.sig", "theme": "dark", "spaced": "v", "bad": "%zz", "late": "1"])
        #expect(makeRequest(headers: ["Cookie": "a=1"]).cookies == ["a": "1"])
        #expect(makeRequest().cookies.isEmpty)
    }

    static let origin = "https://app.example.com"

    @Test("an allowed origin with credentials is echoed with Vary, never *")
    func allowedWithCredentials() async throws {
        let cors = CORSMiddleware(allowedOrigins: .list([Self.origin]), allowCredentials: true, exposedHeaders: ["X-Total"])
        let response = try await cors.handle(makeRequest(headers: ["Host": "h", "Origin": Self.origin]), next: RecordingNext().next)
        #expect(response.headers["Access-Control-Allow-Origin"] == Self.origin)
        #expect(response.headers["Access-Control-Allow-Credentials"] == "true")
        #expect(response.headers.tokens(for: "Vary") == ["origin"])
        #expect(response.headers["Access-Control-Expose-Headers"] == "X-Total")
        let any = CORSMiddleware(allowedOrigins: .any, allowCredentials: true)
        let anyResponse = try await any.handle(makeRequest(headers: ["Origin": "https://x.test"]), next: RecordingNext().next)
        #expect(anyResponse.headers["Access-Control-Allow-Origin"] == "https://x.test")
        let star = try await CORSMiddleware(allowedOrigins: .any).handle(makeRequest(headers: ["Origin": "https://x.test"]), next: RecordingNext().next)
        #expect(star.headers["Access-Control-Allow-Origin"] == "*")
        #expect(!star.headers.contains("Vary"))
    }

    @Test("preflight from an allowed origin is 204 with methods, headers and max-age")
    func preflight() async throws {
        let cors = CORSMiddleware(allowedOrigins: .list([Self.origin]), allowCredentials: true, maxAge: 300)
        let next = RecordingNext()
        let request = makeRequest(.options, "/api", headers: [
            "Origin": Self.origin, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type, x-csrf",
        ])
        let response = try await cors.handle(request, next: next.next)
        #expect(response.status == .noContent)
        #expect(response.headers["Access-Control-Allow-Origin"] == Self.origin)
        #expect(response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, PUT, PATCH, POST, DELETE")
        #expect(response.headers["Access-Control-Allow-Headers"] == "content-type, x-csrf")
        #expect(response.headers["Access-Control-Max-Age"] == "300")
        #expect(response.headers["Access-Control-Allow-Credentials"] == "true")
        #expect(next.received == nil)
    }

    @Test("a disallowed origin gets no CORS headers, and its preflight is 403")
    func disallowed() async throws {
        let cors = CORSMiddleware(allowedOrigins: .list([Self.origin]), allowCredentials: true)
        let response = try await cors.handle(makeRequest(headers: ["Origin": "https://evil.test"]), next: RecordingNext().next)
        #expect(response.status == .ok)
        #expect(!response.headers.contains("Access-Control-Allow-Origin"))
        #expect(!response.headers.contains("Access-Control-Allow-Credentials"))
        let preflight = makeRequest(.options, "/", headers: ["Origin": "https://evil.test", "Access-Control-Request-Method": "POST"])
        let error = await #expect(throws: HTTPError.self) { try await cors.handle(preflight, next: RecordingNext().next) }
        #expect(error?.status == .forbidden)
        #expect(error?.reason.isEmpty == false)
    }

    @Test("requests without Origin are untouched")
    func noOrigin() async throws {
        let cors = CORSMiddleware(allowedOrigins: .any)
        let response = try await cors.handle(makeRequest(.options, "/"), next: RecordingNext().next)
        #expect(response.status == .ok)
        #expect(!response.headers.contains("Access-Control-Allow-Origin"))
    }
}
