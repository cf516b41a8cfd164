// libFuzzer target for SessionKit's pure cookie and session codecs: Cookie header parsing,
// signature verification (cookie-signature format), Set-Cookie encoding and the session JSON
// parser/serializer. Each input is used as a Cookie header, as a signed value and as session JSON;
// any broken invariant traps. Built by scripts/fuzz.sh with `-sanitize=fuzzer,address -DFUZZING`;
// without FUZZING it is a plain executable that links without libFuzzer.
import FuzzDriver
import JavaScriptFormats
import SessionKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let signer = SessionCookieSigner(secrets: ["SESIORsecret", "previousSecret"])
let lifecycle = SessionLifecycle(configuration: SessionConfiguration(secrets: signer.secrets))

/// A header that carries the input as a cookie value may only yield an id whose signature verifies.
func checkCookieHeader(_ header: String) {
    guard let id = lifecycle.sessionID(fromCookieHeader: header) else { return }
    let raw = CookieHeader.value(named: "connect.sid", in: header)
    precondition(raw.map { $0.hasPrefix("s:") } == true, "accepted a cookie without the s: prefix")
    let signed = String(raw!.dropFirst(2))
    precondition(signer.unsign(signed) == id, "sessionID and unsign disagree")
    let resigned = signer.secrets.map { SessionCookieSigner.sign(id, secret: $0) }
    precondition(resigned.contains(signed), "accepted a value that no secret signs to")
}

/// Verification must accept exactly the signer's own output: sign/unsign round-trips, tampering fails.
func checkSignature(_ text: String) {
    if let value = signer.unsign(text) {
        precondition(signer.secrets.contains { SessionCookieSigner.sign(value, secret: $0) == text }, "forged signature accepted")
    }
    let signed = signer.sign(text)
    precondition(signer.unsign(signed) == text, "own signature rejected")
    var bytes = Array(signed.utf8)
    let position = bytes.count - 1 - Int(UInt(bitPattern: text.utf8.count) % 43)
    bytes[position] ^= 0x01
    precondition(signer.unsign(String(decoding: bytes, as: UTF8.self)) == nil, "tampered signature accepted")
    precondition(signer.unsign(String(signed.dropLast())) == nil, "truncated signature accepted")
}

/// A value written into Set-Cookie comes back unchanged through Cookie header parsing.
func checkSetCookieRoundTrip(_ text: String) {
    let setCookie = SetCookie.headerValue(name: "connect.sid", value: text, cookie: SessionCookie())
    let header = String(setCookie.prefix { $0 != ";" })
    precondition(CookieHeader.value(named: "connect.sid", in: header) == text, "Set-Cookie value did not round-trip")
}

/// Session JSON that parses serializes to a fixed point, and re-parses to the same value (as
/// JavaScript's `JSON.parse(JSON.stringify(x))` would give it).
func checkSessionJSON(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let value = try? JSONValue(parsing: bytes) else { return }
    let text = value.jsonString
    guard let again = try? JSONValue(parsing: text) else { preconditionFailure("serialized JSON does not parse: \(text)") }
    precondition(again.jsonString == text, "serialization is not a fixed point")
    if let data = try? SessionData(jsonValue: value) {
        let stored = data.jsonString
        guard let reread = try? SessionData(jsonString: stored) else { preconditionFailure("session JSON does not re-parse") }
        precondition(reread.jsonString == stored, "session JSON is not a fixed point")
        // JSONFuzz checks value by value that a round trip changes nothing but non-finite numbers.
        precondition(
            JSONValue.object(reread.values).jsonString == JSONValue.object(data.values).jsonString,
            "user data changed in a round trip")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: input, as: UTF8.self)
    checkCookieHeader(text)
    checkCookieHeader("connect.sid=" + text)
    checkSignature(text)
    checkSetCookieRoundTrip(text)
    checkSessionJSON(input)
    return 0
}

runFuzzer(fuzzOneInput)
