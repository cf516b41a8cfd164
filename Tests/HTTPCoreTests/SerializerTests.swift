import Foundation
import NIOCore
import Testing

@testable import HTTPCore

@Suite("Response serializer")
struct SerializerTests {
    static let fixedDate = HTTPDateCache(now: { 784_111_777 })  // Sun, 06 Nov 1994 08:49:37 GMT

    func serialize(
        _ response: Response, method: HTTPMethod = .get, version: HTTPVersion = .http1_1, keepAlive: Bool = true
    ) -> (text: String, result: HTTPResponseHeadResult) {
        var serializer = HTTPResponseSerializer(dateCache: Self.fixedDate)
        var buffer = ByteBuffer()
        let context = HTTPResponseContext(requestMethod: method, requestVersion: version, keepAlive: keepAlive)
        let result = serializer.writeResponse(response, for: context, into: &buffer)
        return (String(buffer: buffer), result)
    }

    @Test func bytesBodyGetsContentLengthAndDate() {
        let (text, result) = serialize(.text("hello"))
        #expect(
            text
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nhello")
        #expect(result == HTTPResponseHeadResult(framing: .contentLength(5), keepAlive: true))
    }

    @Test func nonStandardStatusLine() {
        let (text, _) = serialize(Response(status: HTTPResponseStatus(code: 418, reasonPhrase: "I'm a teapot")))
        #expect(text.hasPrefix("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n"))
    }

    @Test func streamBodyIsChunked() {
        let response = Response(body: .stream { _ in })
        let (text, result) = serialize(response)
        #expect(text.contains("Transfer-Encoding: chunked\r\n"))
        #expect(!text.contains("Content-Length"))
        #expect(result.framing == .chunked)
        #expect(result.keepAlive)
    }

    @Test func streamWithOwnContentLengthIsRaw() {
        let response = Response(headers: ["Content-Length": "42"], body: .stream { _ in })
        let (text, result) = serialize(response)
        #expect(text.contains("Content-Length: 42\r\n"))
        #expect(!text.contains("Transfer-Encoding"))
        #expect(result.framing == .contentLength(42))
    }

    @Test func streamToHTTP10ClosesAfterBody() {
        let (text, result) = serialize(Response(body: .stream { _ in }), version: .http1_0, keepAlive: true)
        #expect(!text.contains("Transfer-Encoding"))
        #expect(text.contains("Connection: close\r\n"))
        #expect(result == HTTPResponseHeadResult(framing: .untilClose, keepAlive: false))
    }

    @Test func chunkFraming() {
        var buffer = ByteBuffer()
        HTTPResponseSerializer.writeChunk(ByteBuffer(string: String(repeating: "a", count: 26)), into: &buffer)
        HTTPResponseSerializer.writeChunk(ByteBuffer(), into: &buffer)
        HTTPResponseSerializer.writeLastChunk(into: &buffer)
        #expect(String(buffer: buffer) == "1a\r\n" + String(repeating: "a", count: 26) + "\r\n0\r\n\r\n")
    }

    @Test(arguments: [
        (HTTPVersion.http1_1, true, nil),
        (HTTPVersion.http1_1, false, "close"),
        (HTTPVersion.http1_0, true, "keep-alive"),
        (HTTPVersion.http1_0, false, "close"),
    ] as [(HTTPVersion, Bool, String?)])
    func connectionHeader(version: HTTPVersion, keepAlive: Bool, expected: String?) {
        let (text, result) = serialize(.text("x"), version: version, keepAlive: keepAlive)
        let headers = text.split(separator: "\r\n").filter { $0.hasPrefix("Connection:") }
        #expect(headers == (expected.map { ["Connection: \($0)"] } ?? []))
        #expect(result.keepAlive == keepAlive)
    }

    @Test func responseConnectionCloseWins() {
        let (text, result) = serialize(Response(headers: ["Connection": "close"]))
        #expect(text.components("Connection:") == 1)
        #expect(text.contains("Connection: close\r\n"))
        #expect(!result.keepAlive)
    }

    @Test func headKeepsContentLengthButNoBody() {
        let (text, result) = serialize(.text("hello"), method: .head)
        #expect(text.contains("Content-Length: 5\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
        #expect(result.framing == .none)
    }

    @Test func headOfEmptyBodyKeepsOwnContentLength() {
        let (text, _) = serialize(Response(headers: ["Content-Length": "1234"]), method: .head)
        #expect(text.contains("Content-Length: 1234\r\n"))
        #expect(text.components("Content-Length") == 1)
    }

    @Test func headOfStreamSaysChunkedWithoutBody() {
        let (text, result) = serialize(Response(body: .stream { _ in }), method: .head)
        #expect(text.contains("Transfer-Encoding: chunked\r\n"))
        #expect(result.framing == .none)
    }

    @Test(arguments: [204, 101, 100])
    func noFramingHeadersFor(code: Int) {
        let response = Response(
            status: HTTPResponseStatus(code: code), headers: ["Content-Length": "3", "Transfer-Encoding": "chunked"],
            body: .bytes(ByteBuffer(string: "abc")))
        let (text, result) = serialize(response)
        #expect(!text.contains("Content-Length"))
        #expect(!text.contains("Transfer-Encoding"))
        #expect(text.hasSuffix("\r\n\r\n"))
        #expect(result.framing == .none)
    }

    @Test func notModifiedKeepsOwnLengthOnly() {
        let (plain, _) = serialize(Response(status: .notModified))
        #expect(!plain.contains("Content-Length"))
        let (withLength, result) = serialize(Response(status: .notModified, headers: ["Content-Length": "10"]))
        #expect(withLength.contains("Content-Length: 10\r\n"))
        #expect(result.framing == .none)
    }

    @Test func switchingProtocolsKeepsConnectionHeaders() {
        let response = Response(
            status: .switchingProtocols, headers: ["Connection": "Upgrade", "Upgrade": "websocket"])
        let (text, result) = serialize(response, keepAlive: false)
        #expect(text.hasPrefix("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"))
        #expect(result.framing == .none)
    }

    @Test func ownFramingHeadersAreReplaced() {
        let response = Response(
            headers: ["Content-Length": "99", "Transfer-Encoding": "gzip", "Connection": "keep-alive"],
            body: .bytes(ByteBuffer(string: "abc")))
        let (text, _) = serialize(response)
        #expect(text.components("Content-Length") == 1)
        #expect(text.contains("Content-Length: 3\r\n"))
        #expect(!text.contains("Transfer-Encoding"))
        #expect(!text.contains("Connection"))
    }

    @Test func ownDateIsKept() {
        let (text, _) = serialize(Response(headers: ["Date": "yesterday"]))
        #expect(text.contains("Date: yesterday\r\n"))
        #expect(text.components("Date:") == 1)
    }

    @Test func fieldsWithLineBreaksAreDropped() {
        let response = Response(headers: ["X-Evil": "a\r\nSet-Cookie: x=1", "X-Ok": "fine", "Bad\nName": "v"])
        let (text, _) = serialize(response)
        #expect(!text.contains("Set-Cookie"))
        #expect(!text.contains("Bad"))
        #expect(text.contains("X-Ok: fine\r\n"))
    }

    @Test func continueLine() {
        var buffer = ByteBuffer()
        HTTPResponseSerializer.writeContinue(into: &buffer)
        #expect(String(buffer: buffer) == "HTTP/1.1 100 Continue\r\n\r\n")
    }
}

extension String {
    /// How many times `needle` occurs.
    func components(_ needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }
}
