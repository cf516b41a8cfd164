import JavaScriptFormats
import Testing

@Suite struct Base64Tests {
    /// RFC 4648 §10's test vectors.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: vectors)
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
        let unpadded = String(encoded.prefix { $0 != "=" })
        #expect(Base64.encode(Array(plain.utf8), padding: .none) == unpadded)
        #expect(Base64.decode(unpadded, padding: .none) == Array(plain.utf8))
        #expect(Base64.decode(unpadded, padding: .optional) == Array(plain.utf8))
        #expect(Base64.decode(encoded, padding: .optional) == Array(plain.utf8))
    }

    @Test func alphabetsDifferInTheirLastTwoCharacters() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64.encode(bytes) == "+/+/")
        #expect(Base64.encode(bytes, alphabet: .urlSafe) == "-_-_")
        #expect(Base64.decode("-_-_", alphabet: .urlSafe) == bytes)
        #expect(Base64.decode("-_-_") == nil)
        #expect(Base64.decode("+/+/", alphabet: .urlSafe) == nil)
    }

    @Test("strict decoding refuses", arguments: [
        "Zg", "Zg=", "Zm9=v", "=Zm9", "Zm9v====", "Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zh==", "Zm9=", "Zg==Zg==", "Zm*v",
    ])
    func strictDecodingRefuses(text: String) {
        #expect(Base64.decode(text) == nil, "\(text)")
    }

    @Test func paddingModes() {
        #expect(Base64.decode("Zg", padding: .required) == nil)
        #expect(Base64.decode("Zg==", padding: .none) == nil)
        #expect(Base64.decode("Zg=", padding: .optional) == nil)
        #expect(Base64.decode("Zh", padding: .none) == nil, "non-zero bits under the missing padding")
    }

    @Test func decodingIntoRawMemory() {
        let text = Array("Zm9vYmE=".utf8)
        text.withUnsafeBytes { raw in
            #expect(Base64.decodedCount(raw) == 5)
            var output = [UInt8](repeating: 0, count: 5)
            let decoded = output.withUnsafeMutableBytes { Base64.decode(raw, into: $0) }
            #expect(decoded && output == Array("fooba".utf8))
        }
    }

    @Test(arguments: 0..<40)
    func roundTrip(length: Int) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for alphabet in [Base64.Alphabet.standard, .urlSafe] {
            for padding in [Base64.Padding.required, .none, .optional] {
                let text = Base64.encode(bytes, alphabet: alphabet, padding: padding)
                #expect(Base64.decode(text, alphabet: alphabet, padding: padding) == bytes)
            }
        }
    }
}
