import NIOCore
import Testing

@testable import HTTPCore

/// A request the parser must refuse, and the status it must refuse it with.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    var status: Int
    var testDescription: String { "\(name) → \(status)" }

    init(_ name: String, _ input: String, _ status: Int) {
        self.name = name
        self.input = input
        self.status = status
    }

    static let all: [MalformedCase] = [
        .init("Transfer-Encoding with Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        .init("differing duplicate Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        .init("differing Content-Length list", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\nabcd", 400),
        .init("non-numeric Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", 400),
        .init("signed Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\nabc", 400),
        .init("empty Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400),
        .init("overflowing Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400),
        .init("unknown transfer coding", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: foo\r\n\r\n", 501),
        .init("unknown coding before chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: foo, chunked\r\n\r\n", 501),
        .init("final coding not chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
        .init("only gzip", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        .init("gzip then chunked (not decoded)", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
        .init("chunked twice", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400),
        .init("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        .init("invalid method character", "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        .init("empty method", " / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        .init("two spaces in request line", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        .init("GET and a space, nothing after", "GET \r\nHost: h\r\n\r\n", 400),
        .init("GET and a space, no target", "GET  HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        .init("space after the version", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400),
        .init("version one byte short", "GET / HTTP/1.\r\nHost: h\r\n\r\n", 400),
        .init("HTTP/1.1 with another separator", "GET / HTTP/1,1\r\nHost: h\r\n\r\n", 400),
        .init("control character in target", "GET /a\u{01}b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        .init("relative target", "GET index.html HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        .init("missing version", "GET /\r\nHost: h\r\n\r\n", 400),
        .init("lowercase version", "GET / http/1.1\r\nHost: h\r\n\r\n", 400),
        .init("version with trailing junk", "GET / HTTP/1.1x\r\nHost: h\r\n\r\n", 400),
        .init("HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
        .init("HTTP/0.9 version", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505),
        .init("invalid field name character", "GET / HTTP/1.1\r\nHost: h\r\nFo@o: x\r\n\r\n", 400),
        .init("invalid character deep in a long field name", "GET / HTTP/1.1\r\nHost: h\r\nX-Long-Header-Name@Here: x\r\n\r\n", 400),
        .init("space inside a long field name", "GET / HTTP/1.1\r\nHost: h\r\nAccept Language-Long: x\r\n\r\n", 400),
        .init("non-ASCII byte in a long field name", "GET / HTTP/1.1\r\nHost: h\r\nX-Abcdefg\u{e9}hijk: x\r\n\r\n", 400),
        .init("non-ASCII field name", "GET / HTTP/1.1\r\nHost: h\r\nF\u{e9}e: x\r\n\r\n", 400),
        .init("whitespace before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400),
        .init("tab before colon", "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400),
        .init("empty field name", "GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n", 400),
        .init("field line without colon", "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400),
        .init("obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n two\r\n\r\n", 400),
        .init("whitespace before first field", "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400),
        .init("bare CR in value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n", 400),
        .init("NUL in value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{0}b\r\n\r\n", 400),
        .init("control character in value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{1b}b\r\n\r\n", 400),
        .init("DEL in value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{7f}b\r\n\r\n", 400),
        .init("bare LF line ending", "GET / HTTP/1.1\nHost: h\r\n\r\n", 400),
        .init("bare LF in fields", "GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n", 400),
        .init("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
        .init("duplicate Host", "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", 400),
        .init("duplicate Host in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        .init("invalid chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        .init("empty chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400),
        .init("negative chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400),
        .init("overflowing chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", 400),
        .init("junk after chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n", 400),
        .init("control character in chunk extension", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a\u{0}\r\nhello\r\n0\r\n\r\n", 400),
        .init("bare LF after chunk size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", 400),
        .init("chunk data longer than its size", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n", 400),
        .init("invalid trailer field", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Name: x\r\n\r\n", 400),
    ]
}

@Suite("Parser: malformed requests")
struct ParserMalformedTests {
    @Test("refused with the right status", arguments: MalformedCase.all)
    func refused(_ testCase: MalformedCase) {
        #expect(parseFailureStatus([testCase.input.bytes]) == testCase.status)
        #expect(parseFailureStatus(byteAtATime(testCase.input.bytes)) == testCase.status, "byte at a time")
    }

    @Test("after an error every call throws it again")
    func errorIsSticky() throws {
        var parser = HTTPRequestParser()
        parser.feed(ByteBuffer(string: "GET / HTTP/2.0\r\nHost: h\r\n\r\n"))
        #expect(throws: HTTPParseError.versionNotSupported) { try parser.next() }
        parser.feed(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(throws: HTTPParseError.versionNotSupported) { try parser.next() }
        let error = #expect(throws: HTTPParseError.self) { try parser.next() }
        #expect(error?.reason.isEmpty == false)
    }
}
