import JavaScriptFormats
import Testing

/// `JSON.parse`'s acceptance and results.
@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue(parsing: #" {"a" : [1, -2.5e3, true, false, null, "s\u00e9\ud83d\ude00\n"], "b": {}} "#)
        let expected: JSONValue = ["a": [1, -2500, true, false, nil, "sé😀\n"], "b": .object([:])]
        #expect(value == expected)
    }

    @Test func whitespaceAndEscapesAreParsed() throws {
        let value = try JSONValue(parsing: " {\n\t\"k\" : [ 1 , \"\\u00e9\\/\\ud83d\\ude00\" ] } ")
        #expect(value.jsonString == #"{"k":[1,"é/😀"]}"#)
    }

    /// Strings without escapes are read as slices of the input, others byte by byte; both agree.
    @Test(arguments: [
        (#""plain""#, "plain"), (#""""#, ""), (#""a longer string than fifteen bytes""#, "a longer string than fifteen bytes"),
        (#""pre\nfix""#, "pre\nfix"), (#""\"quoted\"""#, "\"quoted\""), (#""tail\\""#, "tail\\"),
        (#""caf\u00e9 é""#, "caf\u{E9} \u{E9}"), (#""\b\f\r\t\/""#, "\u{08}\u{0C}\r\t/"),
    ])
    func stringsWithAndWithoutEscapes(text: String, expected: String) throws {
        #expect(try JSONValue(parsing: text) == .string(expected))
    }

    /// A Swift string cannot hold a lone surrogate; JavaScript's would, and writes it back as an
    /// escape. Such input becomes U+FFFD, the one place where a round trip differs from Node's.
    @Test(arguments: [(#""\ud800x""#, "\u{FFFD}x"), (#""\udc00""#, "\u{FFFD}"), (#""\ud800\u0041""#, "\u{FFFD}A")])
    func loneSurrogatesBecomeReplacementCharacters(text: String, expected: String) throws {
        #expect(try JSONValue(parsing: text) == .string(expected))
    }

    @Test func invalidUTF8IsRefusedOnBothStringPaths() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x22], [0x22, 0x5C, 0x6E, 0xFF, 0x22], [0x22, 0x61, 0x22, 0x22]] {
            #expect(throws: JSONParsingError.self) { try JSONValue(parsing: bytes) }
        }
    }

    static let malformed: [String] = [
        "", " ", "{", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "{\"a\":1,}", "tru", "nul", "01", "1.",
        ".5", "-", "1e", "+1", "NaN", "Infinity", "\"abc", "\"unterminated", "\"esc\\n", "\"\\x\"", "\"\\u12g4\"",
        "\"\\u12G4\"", "\"a\u{1}\"", "\"\u{01}\"", "\"ab\u{01}\"", "\"a\\nb\u{01}\"", "[1]x", "[1] 2", "'a'",
    ]

    @Test("malformed JSON is refused", arguments: malformed)
    func malformedIsRefused(text: String) {
        #expect(throws: JSONParsingError.self) { try JSONValue(parsing: text) }
    }

    @Test func errorsSayWhatAndWhere() {
        #expect(throws: JSONParsingError(reason: "unexpected character", offset: 4)) { try JSONValue(parsing: "[1, x]") }
        #expect((try? JSONValue(parsing: "[1, x]")) == nil)
        let error = JSONParsingError(reason: "unexpected character", offset: 5)
        #expect(error.description == "invalid JSON: unexpected character at byte 5")
    }

    @Test func nestingIsBoundedNotCrashing() throws {
        let limit = JSONParserLimits.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try JSONValue(parsing: deepest) }
        let tooDeep = "[" + deepest + "]"
        #expect(throws: JSONParsingError.self) { try JSONValue(parsing: tooDeep) }
        let hostile = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParsingError.self) { try JSONValue(parsing: hostile) }
    }

    /// `JSON.stringify(JSON.parse("[1e817,-1e400,1.5e-3]"))` is `[null,null,0.0015]` in Node.
    @Test func overflowingNumbersReadAsInfinityAndWriteAsNull() throws {
        let value = try JSONValue(parsing: "[1e817,-1e400,1.5e-3]")
        #expect(value == .array([.number(.infinity), .number(-.infinity), .number(0.0015)]))
        #expect(value.jsonString == "[null,null,0.0015]")
    }

    /// Integers of up to 15 digits parse without text conversion; every number must equal what
    /// `Double(text)` gives, sign of zero included.
    @Test(arguments: [
        "0", "-0", "7", "-12", "86400000", "123456789012345", "-999999999999999", "1234567890123456",
        "9007199254740993", "12345678901234567890", "1.5", "-0.0", "1e3", "10E-2", "0.1", "-0.000001", "1e+300",
    ])
    func numbersParseLikeDoubleFromText(text: String) throws {
        let parsed = try JSONValue(parsing: "[\(text)]")
        let expected = try #require(Double(text))
        let number = try #require(parsed[0]?.numberValue)
        #expect(number == expected)
        #expect(number.sign == expected.sign)
    }

    @Test(arguments: [
        #"{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"userName":"alice"}"#,
        #"[1,-2.5,1e-7,"x",{"nested":[true,false,null,{}]},[]]"#,
        #""\ud83d\ude00 \u00e9""#,
    ])
    func parseThenSerializeIsStable(text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(try JSONValue(parsing: value.jsonString) == value)
    }

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#).jsonString == #"{"a":3,"b":2}"#)
    }

    /// Found by SessionCookieFuzz: `JSON.parse` puts array-index keys first, so a parsed object
    /// holds them in that order too, or a read-modify-write changes the order of user data.
    @Test func objectsTakeJavaScriptKeyOrder() throws {
        let value = try JSONValue(parsing: #"{"b":1,"10":2,"a":3,"2":4,"01":5,"4294967295":6,"4294967294":7}"#)
        #expect(value.objectValue?.keys == ["2", "10", "4294967294", "b", "a", "01", "4294967295"])
        #expect(value.jsonString == #"{"2":4,"10":2,"4294967294":7,"b":1,"a":3,"01":5,"4294967295":6}"#)
        #expect(try JSONValue(parsing: value.jsonString) == value)
    }

    @Test func protoIsAnOrdinaryKey() throws {
        let value = try JSONValue(parsing: #"{"__proto__":{"admin":true},"constructor":1}"#)
        #expect(value["__proto__"]?["admin"] == true)
        #expect(value.jsonString == #"{"__proto__":{"admin":true},"constructor":1}"#)
    }

    @Test func everyInputFormParsesAlike() throws {
        let text = #"{"k":[1,"é"]}"#
        let fromString = try JSONValue(parsing: text)
        #expect(try JSONValue(parsing: Array(text.utf8)) == fromString)
        #expect(try JSONValue(parsing: text.utf8) == fromString)
        #expect(try Array(text.utf8).withUnsafeBytes { try JSONValue(parsing: $0) } == fromString)
        #expect(try JSONTree<Int>(parsing: text).jsonStringWithoutAttachments == fromString.jsonString)
    }

    /// Objects past `JSONObject.hashThreshold` keys look keys up by hash; duplicates are still found.
    @Test func largeObjectsFindEveryKeyAndDuplicate() throws {
        let members = (0..<50_000).map { #""key\#($0)":\#($0)"# }.joined(separator: ",")
        let value = try JSONValue(parsing: "{" + members + "}")
        #expect(value.objectValue?.count == 50_000)
        #expect(value["key49999"] == 49_999)
        let duplicated = try JSONValue(parsing: "{" + members + #","key7":"last"}"#)
        #expect(duplicated.objectValue?.count == 50_000)
        #expect(duplicated.objectValue?.index(forKey: "key7") == 7)
        #expect(duplicated["key7"] == "last")
    }
}

extension JSONTree {
    /// The text of a tree that holds no attachment.
    var jsonStringWithoutAttachments: String {
        var writer = JSONWriter()
        writer.write(self) { _, _ in Issue.record("unexpected attachment") }
        return writer.string
    }
}
