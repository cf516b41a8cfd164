import SessionKit
import Testing

@Suite struct SessionCookieSignerTests {
    static let id = "abcdefghijklmnopqrstuvwxyz012345"
    static let signed = "abcdefghijklmnopqrstuvwxyz012345.BrEPk968vUZ/CnAf6ia8LeVK0ZdNlaTCayuy4f3RxQE"
    let signer = SessionCookieSigner(secret: "SESIORsecret")

    @Test func testVectorSignsByteForByte() {
        #expect(signer.sign(Self.id) == Self.signed)
        #expect(signer.unsign(Self.signed) == Self.id)
    }

    @Test func rotationSignsWithFirstAndAcceptsAny() {
        let rotated = SessionCookieSigner(secrets: ["newSecret", "SESIORsecret"])
        #expect(rotated.unsign(Self.signed) == Self.id)
        let fresh = rotated.sign(Self.id)
        #expect(fresh == SessionCookieSigner.sign(Self.id, secret: "newSecret"))
        #expect(fresh != Self.signed)
        #expect(signer.unsign(fresh) == nil)
        #expect(SessionCookieSigner(secret: "other").unsign(Self.signed) == nil)
    }

    @Test(arguments: Array(0..<signed.utf8.count))
    func everyBitFlipIsRejected(position: Int) {
        for bit in 0..<7 {
            var bytes = Array(Self.signed.utf8)
            bytes[position] ^= UInt8(1 << bit)
            let tampered = String(decoding: bytes, as: UTF8.self)
            #expect(signer.unsign(tampered) == nil, "flipping bit \(bit) of byte \(position) was accepted")
        }
    }

    @Test func everyTruncationAndExtensionIsRejected() {
        for length in 0..<Self.signed.count {
            #expect(signer.unsign(String(Self.signed.prefix(length))) == nil)
        }
        #expect(signer.unsign(Self.signed + "A") == nil)
        #expect(signer.unsign(Self.signed + "=") == nil)
        #expect(signer.unsign(Self.signed + ".") == nil)
        #expect(signer.unsign("x" + Self.signed) == nil)
    }

    @Test(arguments: ["", ".", "..", Self.id, Self.id + ".", "." + Self.signed])
    func malformedValuesAreRejected(value: String) {
        #expect(signer.unsign(value) == nil)
    }

    @Test func splitsAtTheLastDot() {
        let signed = signer.sign("a.b.c")
        #expect(signer.unsign(signed) == "a.b.c")
    }

    @Test func tenKilobyteValueIsRejectedAndLargeValueRoundTrips() {
        let huge = String(repeating: "A", count: 10 * 1024)
        #expect(signer.unsign(huge) == nil)
        #expect(signer.unsign(huge + "." + huge) == nil)
        #expect(signer.unsign(signer.sign(huge)) == huge)
    }

    @Test func emptySecretStillSigns() {
        let empty = SessionCookieSigner(secret: "")
        #expect(empty.unsign(empty.sign("x")) == "x")
        #expect(signer.unsign(empty.sign("x")) == nil)
    }

    static let secrets = ["", "s", "SESIORsecret", String(repeating: "k", count: 64), String(repeating: "long", count: 40), "g\u{E9}heim \u{1F511}"]

    /// The signer's reused keyed HMAC contexts give what a fresh one-shot HMAC per call gives.
    @Test(arguments: secrets)
    func reusedKeyMatchesOneShotHMAC(secret: String) {
        let signer = SessionCookieSigner(secrets: ["first", secret])
        let values = ["", "x", Self.id, String(repeating: "v", count: 1000), "caf\u{E9}.\u{301}"]
        for value in values {
            let oneShot = SessionCookieSigner.sign(value, secret: secret)
            #expect(SessionCookieSigner(secret: secret).sign(value) == oneShot)
            #expect(signer.unsign(oneShot) == value)
            #expect(signer.unsign(signer.sign(value)) == value)
        }
    }

    @Test func concurrentSigningAgrees() async {
        let expected = (0..<64).map { SessionCookieSigner.sign("value-\($0)", secret: "SESIORsecret") }
        let signer = signer
        let results = await withTaskGroup(of: (Int, String?, String).self) { group in
            for index in 0..<64 {
                group.addTask {
                    var last = ""
                    for _ in 0..<50 { last = signer.sign("value-\(index)") }
                    return (index, signer.unsign(last), last)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (index, unsigned, signed) in results {
            #expect(signed == expected[index])
            #expect(unsigned == "value-\(index)")
        }
    }
}
