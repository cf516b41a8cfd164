import Foundation
import JavaScriptFormats
import SessionKit
import Testing

@Suite struct JSONValueTests {
    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (3600000.0, "3600000"), (0.1, "0.1"),
        (1e21, "1e+21"), (1e20, "100000000000000000000"), (123456789012345680000.0, "123456789012345680000"),
        (1e-7, "1e-7"), (0.000001, "0.000001"), (1.5e-7, "1.5e-7"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (0.30000000000000004, "0.30000000000000004"),
        (2.5e25, "2.5e+25"), (9007199254740993.0, "9007199254740992"), (100.0, "100"), (1234.5678, "1234.5678"),
    ])
    func numbersAreWrittenLikeJavaScript(number: Double, expected: String) {
        #expect(JSONValue.number(number).jsonString == expected)
    }

    /// Found by SessionCookieFuzz: JSON.parse puts array-index keys first, so a parsed object must
    /// hold them in that order too, or a read-modify-write changes the user data's order.
    @Test func parsedObjectsKeepJavaScriptKeyOrder() throws {
        let value = try JSONValue(parsing: #"{"b":1,"2":2,"a":3,"1":4,"01":5}"#)
        guard case .object(let object) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(Array(object.keys) == ["1", "2", "b", "a", "01"])
        let reparsed = try JSONValue(parsing: value.jsonString)
        #expect(reparsed == value)
    }

    @Test func nonFiniteNumbersAreNull() {
        #expect(JSONValue.array([.number(.nan), .number(.infinity)]).jsonString == "[null,null]")
    }

    /// `JSON.stringify(JSON.parse("[1e817,-1e400,1.5e-3]"))` is `[null,null,0.0015]` in Node: an
    /// overflowing literal reads as ±Infinity and writes as null (found by SessionCookieFuzz).
    @Test func overflowingNumbersReadAsInfinityAndWriteAsNull() throws {
        let value = try JSONValue(parsing: "[1e817,-1e400,1.5e-3]")
        #expect(value == .array([.number(.infinity), .number(-.infinity), .number(0.0015)]))
        #expect(value.jsonString == "[null,null,0.0015]")
    }

    @Test func stringsEscapeLikeJSONStringify() {
        let value = JSONValue.string("a\"b\\c\n\r\t\u{08}\u{0C}\u{01}\u{1F}/é😀\u{2028}\u{7F}")
        #expect(value.jsonString == "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f/é😀\u{2028}\u{7F}\"")
    }

    @Test func objectsUseJavaScriptPropertyOrder() throws {
        let value = try JSONValue(parsing: #"{"b":1,"10":2,"a":3,"2":4,"01":5,"4294967295":6,"4294967294":7}"#)
        #expect(value.jsonString == #"{"2":4,"10":2,"4294967294":7,"b":1,"a":3,"01":5,"4294967295":6}"#)
    }

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#).jsonString == #"{"a":3,"b":2}"#)
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

    @Test func whitespaceAndEscapesAreParsed() throws {
        let value = try JSONValue(parsing: " {\n\t\"k\" : [ 1 , \"\\u00e9\\/\\ud83d\\ude00\" ] } ")
        #expect(value.jsonString == #"{"k":[1,"é/😀"]}"#)
    }

    /// Strings without escapes are read as slices of the input, others byte by byte; both agree.
    @Test(arguments: [
        (#""plain""#, "plain"), (#""""#, ""), (#""a longer string than fifteen bytes""#, "a longer string than fifteen bytes"),
        (#""pre\nfix""#, "pre\nfix"), (#""\"quoted\"""#, "\"quoted\""), (#""tail\\""#, "tail\\"),
        (#""caf\u00e9 é""#, "caf\u{E9} \u{E9}"),
    ])
    func stringsWithAndWithoutEscapesAreParsed(text: String, expected: String) throws {
        #expect(try JSONValue(parsing: text) == .string(expected))
    }

    @Test func invalidUTF8InAStringIsRejectedOnBothPaths() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x22], [0x22, 0x5C, 0x6E, 0xFF, 0x22], [0x22, 0x61, 0x22, 0x22]] {
            #expect(throws: JSONParsingError.self) { try JSONValue(parsing: bytes) }
        }
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "NaN", "tru", "\"\u{01}\"", "\"ab\u{01}\"",
        "\"a\\nb\u{01}\"", "\"unterminated", "\"esc\\n", "\"\\x\"", "[1] 2",
        "{'a':1}", "\"\\u12G4\"", "-",
    ])
    func invalidJSONIsRejected(text: String) {
        #expect(throws: JSONParsingError.self) { try JSONValue(parsing: text) }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParsingError.self) { try JSONValue(parsing: text) }
    }

    @Test func codableRoundTrip() throws {
        struct Profile: Codable, Equatable {
            var name: String
            var age: Int
            var joined: Date
        }
        let profile = Profile(name: "alice", age: 30, joined: Date(timeIntervalSince1970: 1_795_780_518.602))
        let value = try JSONValue(encoding: profile)
        #expect(value["joined"] == "2026-11-27T11:55:18.602Z")
        #expect(try value.decode(Profile.self) == profile)
    }
}

@Suite struct JSONValueEncodingTests {
    struct Nested: Codable, Equatable {
        var zeta: Int
        var alpha: [Double?]
        var extra: JSONValue
        var when: Date
        var flag: Bool?
    }

    @Test func encodingKeepsDeclarationOrder() throws {
        let value = Nested(
            zeta: 1, alpha: [1.5, nil], extra: ["b": 1, "a": 2],
            when: JavaScriptDate.parseISO("2026-11-27T11:55:18.602Z")!, flag: nil)
        let json = try JSONValue(encoding: value)
        #expect(json.jsonString == #"{"zeta":1,"alpha":[1.5,null],"extra":{"b":1,"a":2},"when":"2026-11-27T11:55:18.602Z"}"#)
        let decoded = try json.decode(Nested.self)
        #expect(decoded.zeta == 1 && decoded.alpha == [1.5, nil] && decoded.flag == nil)
        #expect(decoded.when == value.when)
        // Decoding goes through Foundation's JSONDecoder, which does not promise key order.
        #expect(decoded.extra["a"] == 2 && decoded.extra["b"] == 1 && decoded.extra.objectValue?.count == 2)
    }

    @Test func scalarsAndJSONValuesEncodeAsThemselves() throws {
        #expect(try JSONValue(encoding: "x") == "x")
        #expect(try JSONValue(encoding: 42) == 42)
        #expect(try JSONValue(encoding: [UInt8(1), 2]) == [1, 2])
        let object: JSONValue = ["b": [1, ["c": nil]], "a": true]
        #expect(try JSONValue(encoding: object) == object)
        #expect(try object.decode(JSONValue.self) == object)
    }

    /// Integers parse without text conversion (up to 15 digits); the value must equal what
    /// `Double(text)` gives, sign of zero included.
    @Test(arguments: [
        "0", "-0", "7", "-12", "86400000", "123456789012345", "-999999999999999", "1234567890123456",
        "9007199254740993", "12345678901234567890", "1.5", "-0.0", "1e3", "10E-2",
    ])
    func numbersParseLikeDoubleFromText(text: String) throws {
        let parsed = try JSONValue(parsing: "[\(text)]")
        let expected = try #require(Double(text))
        guard case .array(let elements) = parsed, case .number(let number) = elements.first else {
            Issue.record("not a number: \(parsed)")
            return
        }
        #expect(number == expected)
        #expect(number.sign == expected.sign)
    }
}
