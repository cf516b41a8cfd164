import JavaScriptFormats
import SessionKit
import Testing

@Suite struct SessionIDTests {
    @Test func idsAre32CharactersOfBase64URL() {
        for _ in 0..<200 {
            let id = SessionID.generate()
            #expect(id.count == 32)
            #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            #expect(SessionID.isWellFormed(id))
        }
    }

    @Test func idsAreUniqueAndUseTheWholeAlphabet() {
        let ids = (0..<2000).map { _ in SessionID.generate() }
        #expect(Set(ids).count == ids.count)
        let characters = Set(ids.joined())
        #expect(characters.count == 64, "24 random bytes should exercise all 64 base64url characters over 2000 ids")
    }

    @Test(arguments: ["", "abc", String(repeating: "a", count: 31), String(repeating: "a", count: 31) + "+",
        String(repeating: "a", count: 33)])
    func malformedIDsAreRecognized(id: String) {
        #expect(!SessionID.isWellFormed(id))
    }
}
