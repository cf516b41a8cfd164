import JavaScriptFormats
import Testing

@testable import SesiorServer

/// The hand-built `/verify-session` bodies are the documents `.orderedJSON` writes.
@Suite struct VerifySessionBodyTests {
    @Test(arguments: ["alice", "", "quote\"back\\slash", "caf\u{E9} \u{1F600}", "tab\tnew\nline\u{1}"])
    func verifiedBodyIsTheJSONValueDocument(userName: String) {
        let document: JSONValue = ["sessionVerified": true, "user": UserJSON.make(userName)]
        #expect(VerifySessionRoute.verifiedBody(userName: userName) == document.jsonString)
    }

    @Test func notVerifiedBodyIsTheJSONValueDocument() {
        let document: JSONValue = ["sessionVerified": false]
        #expect(VerifySessionRoute.notVerifiedBody == document.jsonString)
    }
}
