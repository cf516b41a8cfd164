import Foundation
import JavaScriptFormats
import SessionKit
import SesiorTesting
import Testing

/// Interop with Node: node's cookie-signature (Debian node-cookie-signature), cookie and Date
/// (JSON itself is compared with Node in JavaScriptFormatsTests).
/// Runs `node` as a subprocess; without node these tests fail with an install hint.
@Suite struct NodeInteropTests {
    static let secrets = ["SESIORsecret", "k", "ünïcode secret 🔑", ""]

    static func values() -> [String] {
        ["abcdefghijklmnopqrstuvwxyz012345", "a.b.c", "é😀 value", ""] + (0..<20).map { _ in SessionID.generate() }
    }

    @Test func valueSignedByNodeVerifiesInSwift() async throws {
        let values = Self.values()
        let input = JSONValue.object(["values": .array(values.map(JSONValue.string)), "secrets": .array(Self.secrets.map(JSONValue.string))])
        let script = """
            const sig = require('cookie-signature');
            let text = ''; process.stdin.on('data', c => text += c).on('end', () => {
              const { values, secrets } = JSON.parse(text);
              const out = [];
              for (const s of secrets) for (const v of values) out.push(sig.sign(v, s));
              process.stdout.write(JSON.stringify(out));
            });
            """
        let output = try JSONValue(parsing: try await NodeRunner.run(script: script, input: input.jsonString))
        let signedByNode = try #require(output.arrayValue).compactMap(\.stringValue)
        try #require(signedByNode.count == values.count * Self.secrets.count)
        var index = 0
        for secret in Self.secrets {
            let signer = SessionCookieSigner(secrets: ["not this one", secret])
            for value in values {
                #expect(signer.unsign(signedByNode[index]) == value, "node's \(signedByNode[index]) for secret \(secret)")
                #expect(SessionCookieSigner.sign(value, secret: secret) == signedByNode[index])
                index += 1
            }
        }
    }

    @Test func valueSignedBySwiftVerifiesInNode() async throws {
        let values = Self.values()
        var cases: [JSONValue] = []
        for secret in Self.secrets {
            for value in values {
                let signed = SessionCookieSigner.sign(value, secret: secret)
                cases.append(["signed": .string(signed), "secret": .string(secret), "expected": .string(value)])
                var tampered = Array(signed.utf8)
                tampered[tampered.count / 2] ^= 0x01
                cases.append(["signed": .string(String(decoding: tampered, as: UTF8.self)), "secret": .string(secret), "expected": false])
                cases.append(["signed": .string(signed), "secret": .string(secret + "x"), "expected": false])
            }
        }
        let script = """
            const sig = require('cookie-signature');
            let text = ''; process.stdin.on('data', c => text += c).on('end', () => {
              const cases = JSON.parse(text);
              process.stdout.write(JSON.stringify(cases.map(c => sig.unsign(c.signed, c.secret))));
            });
            """
        let output = try JSONValue(parsing: try await NodeRunner.run(script: script, input: JSONValue.array(cases).jsonString))
        let results = try #require(output.arrayValue)
        try #require(results.count == cases.count)
        for (result, testCase) in zip(results, cases) {
            #expect(result == testCase["expected"], "node unsign(\(testCase["signed"]!), \(testCase["secret"]!))")
        }
    }

    @Test func setCookieMatchesNodeCookieSerialize() async throws {
        let expires = try #require(JavaScriptDate.parseISO("2026-11-27T11:55:18.602Z"))
        let cookie = SessionCookie(
            originalMaxAge: 3_600_000, priority: "medium", expires: expires, secure: true,
            domain: "example.com", path: "/app", sameSite: .lax)
        let value = "s:" + SessionCookieSigner.sign(SessionID.generate(), secret: "SESIORsecret")
        let ours = SetCookie.headerValue(name: "connect.sid", value: value, cookie: cookie)
        let script = """
            const cookie = require('cookie');
            let text = ''; process.stdin.on('data', c => text += c).on('end', () => {
              const { value, options } = JSON.parse(text);
              options.expires = new Date(options.expires);
              process.stdout.write(cookie.serialize('connect.sid', value, options));
            });
            """
        let input = JSONValue.object(["value": .string(value), "options": cookie.jsonValue])
        #expect(try await NodeRunner.run(script: script, input: input.jsonString) == ours)
    }

    @Test func datesFormatLikeJavaScriptDate() async throws {
        var milliseconds: [Int64] = [0, -1, 1, 951_782_400_000, 1_795_780_518_602, 253_402_300_799_999, -62_135_596_800_000]
        milliseconds += (0..<300).map { _ in Int64.random(in: -62_000_000_000_000...250_000_000_000_000) }
        let ours = milliseconds.map { value -> JSONValue in
            let date = JavaScriptDate.date(milliseconds: value)
            return [.string(JavaScriptDate.isoString(date)), .string(JavaScriptDate.utcString(date))]
        }
        let script = """
            let text = ''; process.stdin.on('data', c => text += c).on('end', () => {
              const out = JSON.parse(text).map(ms => { const d = new Date(ms); return [d.toISOString(), d.toUTCString()]; });
              process.stdout.write(JSON.stringify(out));
            });
            """
        let input = JSONValue.array(milliseconds.map { .number(Double($0)) }).jsonString
        let theirs = try JSONValue(parsing: try await NodeRunner.run(script: script, input: input))
        let theirElements = try #require(theirs.arrayValue)
        try #require(theirElements.count == ours.count)
        for (index, value) in milliseconds.enumerated() where theirElements[index] != ours[index] {
            Issue.record("\(value) ms: node \(theirElements[index]), Swift \(ours[index])")
        }
        for value in milliseconds {
            let iso = JavaScriptDate.isoString(JavaScriptDate.date(milliseconds: value))
            #expect(JavaScriptDate.parseISO(iso).map(JavaScriptDate.milliseconds) == value, "\(iso)")
        }
    }
}
