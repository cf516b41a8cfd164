import NIOCore
import Testing

@testable import HTTPCore

@Suite("Parser: limits")
struct ParserLimitTests {
    static let small = HTTPParserConfiguration(
        maxRequestLineLength: 64, maxHeaderSectionSize: 128, maxHeaderCount: 4, maxBodySize: 16)

    @Test("defaults are the documented ones")
    func defaults() {
        let configuration = HTTPParserConfiguration()
        #expect(configuration.maxRequestLineLength == 8192)
        #expect(configuration.maxHeaderSectionSize == 32768)
        #expect(configuration.maxHeaderCount == 100)
        #expect(configuration.maxBodySize == 1_048_576)
    }

    @Test("request line at the limit passes, one byte more is 414")
    func requestLine() {
        let prefix = "GET /"
        let suffix = " HTTP/1.1"
        let fits = prefix + String(repeating: "a", count: 64 - prefix.count - suffix.count) + suffix
        #expect(parseFailureStatus([(fits + "\r\nHost: h\r\n\r\n").bytes], configuration: Self.small) == nil)
        let tooLong = prefix + String(repeating: "a", count: 65 - prefix.count - suffix.count) + suffix
        #expect(parseFailureStatus([(tooLong + "\r\nHost: h\r\n\r\n").bytes], configuration: Self.small) == 414)
    }

    @Test("an endless request line is refused with 414 before its end arrives")
    func endlessRequestLine() {
        let endless = "GET /" + String(repeating: "a", count: 100)
        #expect(parseFailureStatus(byteAtATime(endless.bytes), configuration: Self.small) == 414)
        let defaultEndless = "GET /" + String(repeating: "a", count: 9000)
        #expect(parseFailureStatus([defaultEndless.bytes]) == 414)
    }

    /// Found by HTTPParserFuzz: a line over a limit that also ends in a bare LF was 400 when its
    /// LF came in the same read and 414/431 when it came later. Every split now agrees.
    @Test("a bare-LF line over a limit fails the same way however the input is split", arguments: [
        ("GET /" + String(repeating: "a", count: 80) + " HTTP/1.1\nHost: h\r\n\r\n", 414),
        ("OPTIONS * HTTP/1.0\rst: h" + String(repeating: "N", count: 70) + "\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "b", count: 130) + "\n\r\n", 431),
    ])
    func overLimitLineWithABareLF(text: String, status: Int) {
        let bytes = text.bytes
        #expect(parseFailureStatus([bytes], configuration: Self.small) == status)
        #expect(parseFailureStatus(byteAtATime(bytes), configuration: Self.small) == status)
        for cut in 0...bytes.count {
            #expect(parseFailureStatus([Array(bytes[..<cut]), Array(bytes[cut...])], configuration: Self.small) == status, "cut at \(cut)")
        }
    }

    @Test("header section larger than the limit is 431, complete or not")
    func headerSection() {
        let big = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "b", count: 120) + "\r\n\r\n"
        #expect(parseFailureStatus([big.bytes], configuration: Self.small) == 431)
        let endless = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "b", count: 200)
        #expect(parseFailureStatus(byteAtATime(endless.bytes), configuration: Self.small) == 431)
        let defaultBig = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "b", count: 33 * 1024) + "\r\n\r\n"
        #expect(parseFailureStatus([defaultBig.bytes]) == 431)
    }

    @Test("more header fields than the limit is 431")
    func headerCount() {
        let four = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        #expect(parseFailureStatus([four.bytes], configuration: Self.small) == nil)
        let five = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"
        #expect(parseFailureStatus([five.bytes], configuration: Self.small) == 431)
        let many = "GET / HTTP/1.1\r\nHost: h\r\n" + (1...100).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(parseFailureStatus([many.bytes]) == 431)
    }

    @Test("trailer sections obey the header limits")
    func trailers() {
        let trailers = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
            + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n"
        #expect(parseFailureStatus([trailers.bytes], configuration: Self.small) == 431)
    }

    @Test("Content-Length above the body limit is 413 at the head")
    func contentLengthBody() {
        let fits = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 16\r\n\r\n" + String(repeating: "x", count: 16)
        #expect(parseFailureStatus([fits.bytes], configuration: Self.small) == nil)
        #expect(parseFailureStatus([("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 17\r\n\r\n").bytes], configuration: Self.small) == 413)
    }

    @Test("a chunked body growing past the body limit is 413")
    func chunkedBody() {
        let body = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n1\r\nx\r\n0\r\n\r\n"
        #expect(parseFailureStatus([body.bytes], configuration: Self.small) == 413)
    }

    @Test("an endless chunk extension is refused")
    func endlessChunkLine() {
        let body = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;" + String(repeating: "e", count: 5000)
        #expect(parseFailureStatus([body.bytes]) == 400)
    }
}
