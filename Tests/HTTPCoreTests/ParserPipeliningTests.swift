import NIOCore
import Testing

@testable import HTTPCore

@Suite("Parser: pipelining and upgrades")
struct ParserPipeliningTests {
    static let pipelined =
        "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
        + "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        + "PUT /three HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
        + "GET /four HTTP/1.0\r\n\r\n"

    static let expected: [ParsedPart] = [
        .head(method: "GET", target: "/one", version: "HTTP/1.1", headers: [["Host", "h"]]),
        .end(trailers: nil),
        .head(method: "POST", target: "/two", version: "HTTP/1.1", headers: [["Host", "h"], ["Content-Length", "3"]]),
        .body("abc"),
        .end(trailers: nil),
        .head(method: "PUT", target: "/three", version: "HTTP/1.1", headers: [["Host", "h"], ["Transfer-Encoding", "chunked"]]),
        .body("xy"),
        .end(trailers: nil),
        .head(method: "GET", target: "/four", version: "HTTP/1.0", headers: []),
        .end(trailers: nil),
    ]

    @Test("several requests in one feed")
    func oneFeed() throws {
        #expect(try parseParts([Self.pipelined.bytes]) == Self.expected)
    }

    @Test("several requests byte at a time and at every split")
    func splits() throws {
        let bytes = Self.pipelined.bytes
        #expect(try parseParts(byteAtATime(bytes)) == Self.expected)
        for cut in 0...bytes.count {
            #expect(try parseParts([Array(bytes[..<cut]), Array(bytes[cut...])]) == Self.expected, "split at \(cut)")
        }
    }

    @Test("the parser stops at the end of each request until asked again")
    func pullOnePartAtATime() throws {
        var parser = HTTPRequestParser()
        parser.feed(ByteBuffer(string: Self.pipelined))
        guard case .head(let first) = try parser.next() else { Issue.record("no head"); return }
        #expect(first.target == "/one")
        guard case .end = try parser.next() else { Issue.record("no end"); return }
        let rest = parser.takeUnconsumedBytes()
        #expect(rest.readableBytes == Self.pipelined.utf8.count - "GET /one HTTP/1.1\r\nHost: h\r\n\r\n".utf8.count)
        #expect(try parser.next() == nil)
    }

    @Test("leftover bytes after an upgrade head are handed back", arguments: [false, true])
    func upgradeLeftover(separateFeed: Bool) throws {
        let head = "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let frame: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        var parser = HTTPRequestParser()
        if separateFeed {
            parser.feed(ByteBuffer(string: head))
        } else {
            parser.feed(ByteBuffer(bytes: head.bytes + frame))
        }
        guard case .head(let upgrade) = try parser.next() else { Issue.record("no head"); return }
        #expect(upgrade.isUpgrade)
        guard case .end(nil) = try parser.next() else { Issue.record("no end"); return }
        if separateFeed { parser.feed(ByteBuffer(bytes: frame)) }
        let leftover = parser.takeUnconsumedBytes()
        #expect(Array(leftover.readableBytesView) == frame)
        #expect(parser.takeUnconsumedBytes().readableBytes == 0)
    }

    @Test("a body is delivered in pieces as it arrives, without waiting for all of it")
    func streamingBody() throws {
        var parser = HTTPRequestParser()
        parser.feed(ByteBuffer(string: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n1234"))
        guard case .head = try parser.next() else { Issue.record("no head"); return }
        guard case .body(let first) = try parser.next() else { Issue.record("no body"); return }
        #expect(String(buffer: first) == "1234")
        #expect(try parser.next() == nil)
        parser.feed(ByteBuffer(string: "567890GET"))
        guard case .body(let second) = try parser.next() else { Issue.record("no body"); return }
        #expect(String(buffer: second) == "567890")
        guard case .end = try parser.next() else { Issue.record("no end"); return }
        #expect(try parser.next() == nil)
        #expect(String(buffer: parser.takeUnconsumedBytes()) == "GET")
    }

    @Test("heads kept while later requests are parsed keep their own fields", arguments: [false, true])
    func keptHeadsKeepTheirFields(byteAtATime: Bool) throws {
        // The parser reuses one field array from request to request; heads still held must not see
        // the fields of later sections (more, fewer, or trailer fields).
        let requests =
            "GET /a HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n"
            + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nC: 3\r\nD: 4\r\n\r\n0\r\nT: 5\r\n\r\n"
            + "GET /d HTTP/1.1\r\nHost: h\r\nE: 6\r\n\r\n"
        var parser = HTTPRequestParser()
        var heads: [HTTPRequestHead] = []
        var trailers: [HTTPHeaders] = []
        for chunk in byteAtATime ? requests.bytes.map({ [$0] }) : [requests.bytes] {
            parser.feed(ByteBuffer(bytes: chunk))
            while let part = try parser.next() {
                switch part {
                case .head(let head): heads.append(head)
                case .end(let fields?): trailers.append(fields)
                default: break
                }
            }
        }
        let fields = heads.map { $0.headers.map { "\($0.name)=\($0.value)" } }
        #expect(
            fields == [
                ["Host=h", "A=1", "B=2"], ["Host=h"], ["Host=h", "Transfer-Encoding=chunked", "C=3", "D=4"], ["Host=h", "E=6"],
            ])
        #expect(trailers.map { $0.map { "\($0.name)=\($0.value)" } } == [["T=5"]])
    }
}
