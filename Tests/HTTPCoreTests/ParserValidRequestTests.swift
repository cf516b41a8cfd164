import NIOCore
import Testing

@testable import HTTPCore

/// A valid request and the parts it must produce.
struct ValidRequestCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    var expected: [ParsedPart]

    var testDescription: String { name }

    static let all: [ValidRequestCase] = [
        ValidRequestCase(
            name: "simple GET",
            input: "GET /index.html?a=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
            expected: [
                .head(method: "GET", target: "/index.html?a=1", version: "HTTP/1.1", headers: [["Host", "example.com"]]),
                .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "duplicates, order, case and OWS",
            input: "GET / HTTP/1.1\r\nhost: h\r\nX-A:  one \t\r\nx-a: two\r\nEmpty:\r\nTab: a\tb\r\nObs: caf\u{e9}\r\n\r\n",
            expected: [
                .head(
                    method: "GET", target: "/", version: "HTTP/1.1",
                    headers: [["host", "h"], ["X-A", "one"], ["x-a", "two"], ["Empty", ""], ["Tab", "a\tb"], ["Obs", "caf\u{e9}"]]),
                .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "long field names with every tchar",
            input: "GET / HTTP/1.1\r\nHost: h\r\nX-Request-ID_2024.v1: a\r\nAbcdefghijklmnopqrstuvwxyz0123456789: b\r\n!#$%&'*+-.^_`|~Zz: c\r\n\r\n",
            expected: [
                .head(
                    method: "GET", target: "/", version: "HTTP/1.1",
                    headers: [["Host", "h"], ["X-Request-ID_2024.v1", "a"], ["Abcdefghijklmnopqrstuvwxyz0123456789", "b"], ["!#$%&'*+-.^_`|~Zz", "c"]]),
                .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "Content-Length body",
            input: "POST /submit HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world",
            expected: [
                .head(method: "POST", target: "/submit", version: "HTTP/1.1", headers: [["Host", "h"], ["Content-Length", "11"]]),
                .body("hello world"),
                .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "identical Content-Length list",
            input: "PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\ncontent-length: 3\r\n\r\nabc",
            expected: [
                .head(
                    method: "PUT", target: "/x", version: "HTTP/1.1",
                    headers: [["Host", "h"], ["Content-Length", "3, 3"], ["content-length", "3"]]),
                .body("abc"),
                .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "chunked with extensions and trailers",
            input: "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\nA ; x=\"y\"\r\n, world!!!\r\n0\r\nX-Checksum: abc\r\nX-More: 1\r\n\r\n",
            expected: [
                .head(method: "POST", target: "/c", version: "HTTP/1.1", headers: [["Host", "h"], ["Transfer-Encoding", "chunked"]]),
                .body("hello, world!!!"),
                .end(trailers: [["X-Checksum", "abc"], ["X-More", "1"]]),
            ]),
        ValidRequestCase(
            name: "chunked without trailers, uppercase hex",
            input: "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n1F\r\n0123456789abcdef0123456789abcde\r\n0\r\n\r\n",
            expected: [
                .head(method: "POST", target: "/c", version: "HTTP/1.1", headers: [["Host", "h"], ["Transfer-Encoding", "Chunked"]]),
                .body("0123456789abcdef0123456789abcde"),
                .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "HTTP/1.0 without Host",
            input: "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            expected: [
                .head(method: "GET", target: "/old", version: "HTTP/1.0", headers: [["Connection", "keep-alive"]]),
                .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "asterisk form",
            input: "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
            expected: [
                .head(method: "OPTIONS", target: "*", version: "HTTP/1.1", headers: [["Host", "h"]]), .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "absolute form and extension method",
            input: "PROPFIND http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n",
            expected: [
                .head(method: "PROPFIND", target: "http://example.com/a?b", version: "HTTP/1.1", headers: [["Host", "example.com"]]),
                .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "methods that start like GET (not the one-word GET check)",
            input: "GETS /a HTTP/1.1\r\nHost: h\r\n\r\nget /b HTTP/1.1\r\nHost: h\r\n\r\n",
            expected: [
                .head(method: "GETS", target: "/a", version: "HTTP/1.1", headers: [["Host", "h"]]), .end(trailers: nil),
                .head(method: "get", target: "/b", version: "HTTP/1.1", headers: [["Host", "h"]]), .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "leading empty line",
            input: "\r\nDELETE /item/1 HTTP/1.1\r\nHost: h\r\n\r\n",
            expected: [
                .head(method: "DELETE", target: "/item/1", version: "HTTP/1.1", headers: [["Host", "h"]]), .end(trailers: nil),
            ]),
        ValidRequestCase(
            name: "Expect 100-continue",
            input: "POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
            expected: [
                .head(
                    method: "POST", target: "/up", version: "HTTP/1.1",
                    headers: [["Host", "h"], ["Expect", "100-continue"], ["Content-Length", "2"]]),
                .body("ok"),
                .end(trailers: nil),
            ]),
    ]
}

@Suite("Parser: valid requests")
struct ParserValidRequestTests {
    @Test("whole input", arguments: ValidRequestCase.all)
    func whole(_ testCase: ValidRequestCase) throws {
        #expect(try parseParts([testCase.input.bytes]) == testCase.expected)
    }

    @Test("split at every byte boundary", arguments: ValidRequestCase.all)
    func everySplit(_ testCase: ValidRequestCase) throws {
        let bytes = testCase.input.bytes
        for cut in 0...bytes.count {
            let parts = try parseParts([Array(bytes[..<cut]), Array(bytes[cut...])])
            #expect(parts == testCase.expected, "split at \(cut)")
        }
    }

    @Test("byte at a time", arguments: ValidRequestCase.all)
    func byteByByte(_ testCase: ValidRequestCase) throws {
        #expect(try parseParts(byteAtATime(testCase.input.bytes)) == testCase.expected)
    }

    @Test("head flags: keep-alive, upgrade, expect-continue")
    func headFlags() throws {
        var parser = HTTPRequestParser()
        parser.feed(
            ByteBuffer(
                string: "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\n"
                    + "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))
        guard case .head(let upgrade) = try parser.next() else { Issue.record("no head"); return }
        #expect(upgrade.isUpgrade && upgrade.isKeepAlive && !upgrade.expectsContinue)
        #expect(upgrade.headers["upgrade"] == "websocket")
        guard case .end = try parser.next() else { Issue.record("no end"); return }
        guard case .head(let post) = try parser.next() else { Issue.record("no head"); return }
        #expect(post.expectsContinue && !post.isKeepAlive && !post.isUpgrade)
    }

    @Test("a request without a body ends right after its head")
    func noBodyEnd() throws {
        var parser = HTTPRequestParser()
        parser.feed(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        guard case .head = try parser.next() else { Issue.record("no head"); return }
        guard case .end(nil) = try parser.next() else { Issue.record("no end"); return }
        #expect(try parser.next() == nil)
    }

    @Test("a long header value fed byte by byte parses (linear scanning)")
    func longValueByteByByte() throws {
        let value = String(repeating: "v", count: 30_000)
        let input = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: \(value)\r\n\r\n"
        let parts = try parseParts(byteAtATime(input.bytes))
        #expect(parts.count == 2)
        guard case .head(_, _, _, let headers) = parts.first else { Issue.record("no head"); return }
        #expect(headers.last == ["X-Long", value])
    }
}
