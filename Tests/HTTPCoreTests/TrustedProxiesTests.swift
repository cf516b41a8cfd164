import HTTPCore
import NIOCore
import Testing

/// Express's `trust proxy`: forwarding headers count only from listed peers.
@Suite struct TrustedProxiesTests {
    /// Sends one request with `headers` from 127.0.0.1 to a server trusting `proxies`; what the
    /// handler saw as `isSecure` and `clientAddress`.
    static func respond(
        headers: HTTPHeaders, trusting proxies: TrustedProxies, encrypted: Bool = false
    ) async throws -> (secure: Bool, client: String?) {
        var app = App()
        app.get("/") { request in .text("\(request.isSecure) \(request.clientAddress ?? "-")") }
        return try await withTestServer(app, configure: {
            $0.trustedProxies = proxies
            // Stands in for TLS: the connection is said to be encrypted, and is not.
            if encrypted { $0.connectionSetup = HTTPConnectionSetup(isEncrypted: true) { _ in } }
        }) { _, port in
            let client = try await RawClient.connect(port: port)
            var raw = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            for (name, value) in headers { raw += "\(name): \(value)\r\n" }
            try await client.send(raw + "\r\n")
            let response = try #require(try await client.readResponse())
            await client.close()
            let words = response.body.split(separator: " ")
            return (words.first == "true", words.count > 1 && words[1] != "-" ? String(words[1]) : nil)
        }
    }

    @Test func entriesParse() throws {
        let proxies = try TrustedProxies(["loopback", "10.0.0.0/8", "2001:db8::1", "uniquelocal"])
        #expect(proxies.trusts("127.0.0.1") && proxies.trusts("127.9.9.9") && proxies.trusts("::1"))
        #expect(proxies.trusts("10.200.3.4") && proxies.trusts("2001:db8::1") && proxies.trusts("192.168.1.1"))
        #expect(!proxies.trusts("11.0.0.1") && !proxies.trusts("2001:db8::2") && !proxies.trusts("nonsense"))
        #expect(proxies.trusts("::ffff:10.1.2.3"), "IPv4-mapped addresses compare as IPv4")
        #expect(TrustedProxies.all.trusts("8.8.8.8") && TrustedProxies.all.trusts("2001:4860::8888"))
        #expect(!TrustedProxies.none.trusts("127.0.0.1"))
        for bad in ["10.0.0.0/33", "example.com", "1.2.3", "::1/129", ""] {
            #expect(throws: TrustedProxies.InvalidEntry.self, "\(bad)") { try TrustedProxies([bad]) }
        }
    }

    @Test("a spoofed X-Forwarded-Proto/-For from an untrusted peer is ignored")
    func untrustedPeerIsIgnored() async throws {
        let headers: HTTPHeaders = ["X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"]
        let untrusted = try await Self.respond(headers: headers, trusting: try TrustedProxies(["10.0.0.0/8"]))
        #expect(untrusted.secure == false && untrusted.client == "127.0.0.1")
        let none = try await Self.respond(headers: headers, trusting: .none)
        #expect(none.secure == false && none.client == "127.0.0.1")
    }

    @Test("a trusted proxy's headers give the protocol and the nearest untrusted client address")
    func trustedProxyIsBelieved() async throws {
        let proxies = try TrustedProxies(["loopback", "10.0.0.0/8"])
        let one = try await Self.respond(
            headers: ["X-Forwarded-Proto": "https, http", "X-Forwarded-For": "203.0.113.7"],
            trusting: proxies)
        #expect(one.secure && one.client == "203.0.113.7")
        // Read from the right: 10.1.1.1 is a trusted hop, 198.51.100.2 is the client; the
        // leftmost value, which the client wrote itself, is not believed.
        let chain = try await Self.respond(
            headers: ["X-Forwarded-For": "1.1.1.1, 198.51.100.2, 10.1.1.1"], trusting: proxies)
        #expect(!chain.secure && chain.client == "198.51.100.2")
        let plain = try await Self.respond(headers: ["X-Forwarded-Proto": "http"], trusting: proxies)
        #expect(!plain.secure && plain.client == "127.0.0.1")
    }

    @Test("an encrypted connection is secure whatever the headers say")
    func encryptedConnectionIsSecure() async throws {
        let answer = try await Self.respond(
            headers: ["X-Forwarded-Proto": "http"], trusting: try TrustedProxies(["loopback"]),
            encrypted: true)
        #expect(answer.secure)
    }
}
