import NIOCore
import Testing

@testable import HTTPCore

@Suite("HTTPHeaders")
struct HeadersTests {
    @Test("lookup is case-insensitive, order and duplicates are kept")
    func lookup() {
        var headers: HTTPHeaders = ["Content-Type": "text/html", "Set-Cookie": "a=1"]
        headers.add(name: "set-cookie", value: "b=2")
        #expect(headers["content-type"] == "text/html")
        #expect(headers["CONTENT-TYPE"] == "text/html")
        #expect(headers["Content-Typ"] == nil)
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        #expect(headers.contains("set-cookie"))
        #expect(headers.count == 3)
        #expect(headers.map(\.name) == ["Content-Type", "Set-Cookie", "set-cookie"])
    }

    @Test("replaceOrAdd and remove")
    func mutation() {
        var headers: HTTPHeaders = ["A": "1", "B": "2", "a": "3"]
        headers.replaceOrAdd(name: "a", value: "4")
        #expect(headers.map { [$0.name, $0.value] } == [["B", "2"], ["a", "4"]])
        headers.remove(name: "B")
        headers.remove(name: "missing")
        #expect(headers.map { [$0.name, $0.value] } == [["a", "4"]])
        headers.remove(name: "A")
        #expect(headers.isEmpty)
        headers.add(name: "C", value: "5")
        #expect(headers["c"] == "5")
    }

    @Test("tokens are split, trimmed and lowercased")
    func tokens() {
        let headers: HTTPHeaders = ["Connection": " Keep-Alive ,, Upgrade", "connection": "close"]
        #expect(headers.tokens(for: "connection") == ["keep-alive", "upgrade", "close"])
        #expect(headers.tokens(for: "missing") == [])
    }

    @Test("parsed headers can be changed like built ones")
    func parsedThenChanged() throws {
        var parser = HTTPRequestParser()
        parser.feed(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n"))
        guard case .head(let head) = try parser.next() else { Issue.record("no head"); return }
        var headers = head.headers
        headers.add(name: "X-B", value: "2")
        headers.replaceOrAdd(name: "x-a", value: "3")
        #expect(headers.map { [$0.name, $0.value] } == [["Host", "h"], ["X-B", "2"], ["x-a", "3"]])
        #expect(head.headers["x-a"] == "1")
        #expect(headers.description == "Host: h\nX-B: 2\nx-a: 3")
    }
}
