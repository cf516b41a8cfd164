import HTTPCore
import JavaScriptFormats
import NIOCore
import Testing
@testable import WebSocketCore

@Suite("Opening handshake")
struct HandshakeTests {
    static func head(
        method: HTTPMethod = .get, version: HTTPVersion = .http1_1, removing: [String] = [],
        setting: [(String, String)] = []
    ) -> HTTPRequestHead {
        var headers: HTTPHeaders = [
            "Host": "server.example.com", "Upgrade": "websocket", "Connection": "keep-alive, Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
        ]
        for name in removing { headers.remove(name: name) }
        for (name, value) in setting { headers.replaceOrAdd(name: name, value: value) }
        return HTTPRequestHead(method: method, target: "/chat", version: version, headers: headers)
    }

    @Test("RFC 6455 §1.3 accept value")
    func acceptVector() {
        #expect(webSocketAcceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("a valid request is accepted with the 101 headers")
    func accepted() throws {
        let handshake = try WebSocketHandshake.validate(Self.head(), configuration: .init())
        let headers = handshake.responseHeaders
        #expect(headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(headers["Upgrade"] == "websocket")
        #expect(headers["Connection"] == "Upgrade")
        #expect(!headers.contains("Sec-WebSocket-Protocol"))
        #expect(!headers.contains("Sec-WebSocket-Extensions"))
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var head: HTTPRequestHead
        var status: Int
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "POST", head: head(method: .post), status: 400),
        Refusal(name: "HTTP/1.0", head: head(version: .http1_0), status: 400),
        Refusal(name: "no Host", head: head(removing: ["Host"]), status: 400),
        Refusal(name: "no Upgrade", head: head(removing: ["Upgrade"]), status: 400),
        Refusal(name: "Upgrade: h2c", head: head(setting: [("Upgrade", "h2c")]), status: 400),
        Refusal(name: "no Connection: upgrade", head: head(setting: [("Connection", "keep-alive")]), status: 400),
        Refusal(name: "no key", head: head(removing: ["Sec-WebSocket-Key"]), status: 400),
        Refusal(name: "key of 15 bytes", head: head(setting: [("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA")]), status: 400),
        Refusal(name: "key not base64", head: head(setting: [("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ!=")]), status: 400),
        Refusal(name: "key of 17 bytes", head: head(setting: [("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAA=")]), status: 400),
        Refusal(name: "version 8", head: head(setting: [("Sec-WebSocket-Version", "8")]), status: 426),
        Refusal(name: "no version", head: head(removing: ["Sec-WebSocket-Version"]), status: 426),
        Refusal(name: "foreign origin", head: head(setting: [("Origin", "https://evil.example")]), status: 403),
        Refusal(name: "null origin", head: head(setting: [("Origin", "null")]), status: 403),
    ]

    @Test("invalid requests are refused with the right status", arguments: refusals)
    func refused(sample: Refusal) {
        do {
            _ = try WebSocketHandshake.validate(sample.head, configuration: .init())
            Issue.record("accepted \(sample.name)")
        } catch {
            #expect(error.status.code == sample.status)
            if sample.status == 426 { #expect(error.headers["Sec-WebSocket-Version"] == "13") }
        }
    }

    @Test("origin policy", arguments: [
        (nil, WebSocketOriginPolicy.sameOrigin(), true),
        ("https://server.example.com", .sameOrigin(), true),
        ("https://SERVER.example.com:443", .sameOrigin(), true),
        ("http://server.example.com:8080", .sameOrigin(), false),
        ("https://app.example.com", .sameOrigin(allowing: ["https://app.example.com"]), true),
        ("https://other.example.com", .sameOrigin(allowing: ["https://app.example.com"]), false),
        ("https://anything.example", .any, true),
        ("https://ok.example", .custom { origin, _ in origin.hasPrefix("https://ok.") }, true),
        ("https://no.example", .custom { origin, _ in origin.hasPrefix("https://ok.") }, false),
    ] as [(String?, WebSocketOriginPolicy, Bool)])
    func originPolicy(origin: String?, policy: WebSocketOriginPolicy, allowed: Bool) {
        let head = Self.head(setting: origin.map { [("Origin", $0)] } ?? [])
        #expect(policy.allows(head) == allowed)
    }

    @Test("subprotocol: the client's first preference the server supports", arguments: [
        ("chat, superchat", ["superchat", "chat"], "chat"),
        ("mqtt, superchat", ["superchat", "chat"], "superchat"),
        ("mqtt", ["superchat", "chat"], nil),
        ("", ["chat"], nil),
    ] as [(String, [String], String?)])
    func subprotocolSelection(offered: String, supported: [String], selected: String?) throws {
        let head = Self.head(setting: offered.isEmpty ? [] : [("Sec-WebSocket-Protocol", offered)])
        let handshake = try WebSocketHandshake.validate(head, configuration: .init(subprotocols: supported))
        #expect(handshake.subprotocol == selected)
        #expect(handshake.responseHeaders["Sec-WebSocket-Protocol"] == selected)
    }

    @Test("compression is agreed only when configured")
    func extensionNegotiation() throws {
        let head = Self.head(setting: [("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")])
        let off = try WebSocketHandshake.validate(head, configuration: .init())
        #expect(off.responseHeaders["Sec-WebSocket-Extensions"] == nil)
        let on = try WebSocketHandshake.validate(head, configuration: .init(compression: .init()))
        #expect(on.responseHeaders["Sec-WebSocket-Extensions"] == "permessage-deflate")
    }

    @Test("the upgrader answers 101 with an upgrade hook, or throws the refusal")
    func upgraderResponse() throws {
        let upgrader = WebSocketUpgrader { _ in }
        let response = try upgrader.response(for: Request(head: Self.head()))
        #expect(response.status == .switchingProtocols)
        #expect(response.upgrade != nil)
        #expect(response.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(throws: HTTPError.self) { try upgrader.response(for: Request(head: Self.head(method: .post))) }
    }

    @Test("base64 round trip", arguments: [0, 1, 2, 3, 16, 20])
    func base64(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 41 + 3) }
        #expect(Base64.decode(Base64.encode(bytes)) == bytes)
    }
}
