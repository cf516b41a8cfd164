import JavaScriptFormats
import NIOCore
import Testing

@testable import HTTPCore

@Suite("Middleware: body parsers and query")
struct MiddlewareBodyParserTests {
    struct Person: Decodable, Equatable {
        var name: String
        var age: Int
    }

    @Test("JSON bodies are parsed for application/json with parameters", arguments: ["application/json", "Application/JSON; charset=utf-8"])
    func jsonParsed(contentType: String) async throws {
        let next = RecordingNext()
        let request = makeRequest(.post, "/p", headers: ["Content-Type": contentType], body: #"{"name":"Ada","age":36,"tags":["x",null,true]}"#)
        _ = try await JSONBodyParser().handle(request, next: next.next)
        let received = try #require(next.received)
        #expect(received.jsonBody?["name"] == .string("Ada"))
        #expect(received.jsonBody?["age"]?.numberValue == 36)
        #expect(received.jsonBody?["tags"] == .array([.string("x"), .null, .bool(true)]))
        #expect(try received.decodeJSON(Person.self) == Person(name: "Ada", age: 36))
    }

    @Test("other content types and empty bodies pass through unparsed")
    func jsonSkipped() async throws {
        let next = RecordingNext()
        _ = try await JSONBodyParser().handle(makeRequest(.post, "/", headers: ["Content-Type": "text/plain"], body: "{"), next: next.next)
        #expect(next.received?.jsonBody == nil)
        _ = try await JSONBodyParser().handle(makeRequest(.post, "/", headers: ["Content-Type": "application/json"]), next: next.next)
        #expect(next.received?.jsonBody == nil)
    }

    @Test("bad JSON is 400 with a short reason, too large is 413")
    func jsonRefused() async throws {
        let next = RecordingNext()
        let bad = makeRequest(.post, "/", headers: ["Content-Type": "application/json"], body: #"{"a": tru}"#)
        let error = await #expect(throws: HTTPError.self) { try await JSONBodyParser().handle(bad, next: next.next) }
        #expect(error?.status == .badRequest)
        #expect(error?.reason.hasPrefix("invalid JSON: ") == true)
        #expect(error?.reason != "invalid JSON: malformed JSON", "the parser's own reason is kept")
        #expect((error?.reason.count ?? 0) < 120)
        let scalar = makeRequest(.post, "/", headers: ["Content-Type": "application/json"], body: "42")
        await #expect(throws: HTTPError.self) { try await JSONBodyParser().handle(scalar, next: next.next) }
        let big = makeRequest(.post, "/", headers: ["Content-Type": "application/json"], body: "[" + String(repeating: "1,", count: 20) + "1]")
        let tooLarge = await #expect(throws: HTTPError.self) { try await JSONBodyParser(limit: 10).handle(big, next: next.next) }
        #expect(tooLarge?.status == .payloadTooLarge)
        #expect(next.received == nil)
    }

    @Test("decodeJSON reports a missing key as 400")
    func decodeMissingKey() {
        let request = makeRequest(.post, "/", headers: ["Content-Type": "application/json"], body: #"{"name":"Ada"}"#)
        let error = #expect(throws: HTTPError.self) { try request.decodeJSON(Person.self) }
        #expect(error?.status == .badRequest)
        #expect(error?.reason.contains("age") == true)
    }

    @Test("form bodies become ordered pairs with + and percent-decoding")
    func formParsed() async throws {
        let next = RecordingNext()
        let body = "name=Ada+Lovelace&lang=en&lang=fr&sym=%E2%9C%93%26%3D&empty=&flag"
        let request = makeRequest(.post, "/", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: body)
        _ = try await URLEncodedBodyParser().handle(request, next: next.next)
        let form = try #require(next.received?.formParameters)
        #expect(form.pairs.map { [$0.name, $0.value] } == [["name", "Ada Lovelace"], ["lang", "en"], ["lang", "fr"], ["sym", "✓&="], ["empty", ""], ["flag", ""]])
        #expect(form["lang"] == "en")
        #expect(form.values(for: "lang") == ["en", "fr"])
    }

    @Test("malformed form encoding is 400, too large is 413", arguments: ["a=%zz", "a=%E2%28", "a=%4"])
    func formRefused(body: String) async {
        let request = makeRequest(.post, "/", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: body)
        let error = await #expect(throws: HTTPError.self) { try await URLEncodedBodyParser().handle(request, next: RecordingNext().next) }
        #expect(error?.status == .badRequest)
        let tooLarge = await #expect(throws: HTTPError.self) { try await URLEncodedBodyParser(limit: 2).handle(request, next: RecordingNext().next) }
        #expect(tooLarge?.status == .payloadTooLarge)
    }

    @Test("query parameters are decoded leniently and keep order")
    func query() {
        let request = makeRequest(.get, "/search?q=caf%C3%A9+au+lait&page=2&page=3&bad=%zz&=x&&solo")
        let query = request.queryParameters
        #expect(query["q"] == "café au lait")
        #expect(query.values(for: "page") == ["2", "3"])
        #expect(query["bad"] == "%zz")
        #expect(query["solo"] == "")
        #expect(query["missing"] == nil)
        #expect(makeRequest(.get, "/plain").queryParameters.isEmpty)
    }

    @Test("encoded pairs read back as the same pairs, written as URLSearchParams writes them")
    func encodedQuery() {
        let pairs: [(name: String, value: String)] = [
            ("token", "a&b=c"), ("sum", "1+1 %41"), ("café", "au lait"), ("*-._", "~!'()"), ("", ""),
        ]
        let encoded = QueryParameters(pairs).encoded
        #expect(encoded == "token=a%26b%3Dc&sum=1%2B1+%2541&caf%C3%A9=au+lait&*-._=%7E%21%27%28%29&=")
        let decoded = QueryParameters(query: Substring(encoded)).pairs
        #expect(decoded.map(\.name) == pairs.map(\.name))
        #expect(decoded.map(\.value) == pairs.map(\.value))
    }
}
