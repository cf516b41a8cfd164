import Foundation
import Testing

@testable import HTTPCore

/// The `Host` field value: `uri-host [ ":" port ]` (RFC 9112 §3.2, RFC 3986 §3.2.2–§3.2.3),
/// refused with 400 otherwise, whether the head arrives whole (the parser's fast field-line path)
/// or a byte at a time (the line-by-line path).
@Suite("HTTP parser: Host field")
struct ParserHostTests {
    static func head(host: String, version: String = "HTTP/1.1") -> [UInt8] {
        "GET / \(version)\r\nHost: \(host)\r\nAccept: */*\r\n\r\n".bytes
    }

    @Test(
        "valid Host values are accepted",
        arguments: [
            "example.com", "example.com:8080", "EXAMPLE.com.", "a-b_c~d.e", "127.0.0.1", "127.0.0.1:7331",
            "[::1]", "[::1]:443", "[2001:db8::7]", "[v1.fe80::a+en1]", "[::ffff:192.0.2.1]:80",
            "xn--bcher-kva.example", "%41b.example", "sub!$&'()*+,;=delims", "example.com:", ":80", "",
            "  example.com  ",
        ])
    func accepted(host: String) throws {
        for chunks in [[Self.head(host: host)], byteAtATime(Self.head(host: host))] {
            let parts = try parseParts(chunks)
            guard case .head(_, _, _, let headers) = parts.first else {
                Issue.record("no head for \(host.debugDescription)")
                continue
            }
            let trimmed = host.trimmingCharacters(in: [" "])
            #expect(headers.first == ["Host", trimmed])
        }
    }

    @Test(
        "invalid Host values are 400",
        arguments: [
            "a b", "a\tb", "user@example.com", "example.com:80:80", "example.com:8o", "example.com:-1",
            "exa/mple.com", "example.com/", "exa?mple", "exa#mple", "[::1", "[]", "[::1]x", "[::1]:8o", "::1",
            "[::1]]", "[fe80::1%eth0]", "%4", "%zz.example", "ex\"ample", "ex<ample>", "exa\\mple", "é.example",
            "a[b]",
        ])
    func refused(host: String) {
        #expect(parseFailureStatus([Self.head(host: host)]) == 400)
        #expect(parseFailureStatus(byteAtATime(Self.head(host: host))) == 400)
    }

    @Test("an invalid Host is 400 on HTTP/1.0 too, where Host may be missing")
    func refusedOnHTTP10() {
        #expect(parseFailureStatus([Self.head(host: "a b", version: "HTTP/1.0")]) == 400)
        #expect(parseFailureStatus(["GET / HTTP/1.0\r\n\r\n".bytes]) == nil)
    }

    @Test("two Host fields are 400 even when both are valid; a missing one on HTTP/1.1 is 400")
    func countIsChecked() {
        #expect(parseFailureStatus(["GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n".bytes]) == 400)
        #expect(parseFailureStatus(["GET / HTTP/1.1\r\nAccept: */*\r\n\r\n".bytes]) == 400)
    }

    @Test("the next request on the connection is parsed after a valid one")
    func pipelinedAfterAValidHost() throws {
        let input = Self.head(host: "[::1]:8080") + Self.head(host: "example.com")
        let parts = try parseParts([input])
        #expect(parts.count == 4)
    }
}
