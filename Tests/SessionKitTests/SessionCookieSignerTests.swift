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
}
