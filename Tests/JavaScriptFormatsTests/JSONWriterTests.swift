import JavaScriptFormats
import Testing

/// `JSON.stringify`'s output, byte for byte (expected texts as Node 20 prints them).
@Suite struct JSONWriterTests {
    static let numbers: [(Double, String)] = [
        (0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (-1.5, "-1.5"), (3_600_000, "3600000"), (0.1, "0.1"),
        (1e21, "1e+21"), (1e20, "100000000000000000000"), (123_456_789_012_345_680_000, "123456789012345680000"),
        (1e-7, "1e-7"), (0.000001, "0.000001"), (1.5e-7, "1.5e-7"), (1.5e-10, "1.5e-10"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (0.30000000000000004, "0.30000000000000004"),
        (2.5e25, "2.5e+25"), (9_007_199_254_740_992, "9007199254740992"), (9_007_199_254_740_994, "9007199254740994"),
        (100, "100"), (1234.5678, "1234.5678"), (123.456, "123.456"), (0.0000012345, "0.0000012345"),
        (1e300, "1e+300"), (-2.5e-8, "-2.5e-8"), (1.0 / 3.0, "0.3333333333333333"), (4.35, "4.35"),
        (1e16, "10000000000000000"), (12_345_678_901_234_567_890_123, "1.2345678901234568e+22"),
        (.infinity, "null"), (-.infinity, "null"), (.nan, "null"),
    ]

    @Test("numbers are written as JSON.stringify writes them", arguments: numbers)
    func numberFormatting(value: Double, expected: String) {
        #expect(JSONValue.number(value).jsonString == expected)
    }

    @Test func javaScriptNumberToString() {
        #expect(JavaScriptNumber.string(1e21) == "1e+21")
        #expect(JavaScriptNumber.string(-0.0) == "0")
        #expect(JavaScriptNumber.string(.nan) == "NaN")
        #expect(JavaScriptNumber.string(-.infinity) == "-Infinity")
    }

    @Test func stringsEscapeOnlyQuoteBackslashAndControlCharacters() {
        let value = JSONValue.string("a\"b\\c\n\r\t\u{08}\u{0C}\u{01}\u{1F}/é😀\u{2028}\u{7F}")
        #expect(value.jsonString == "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f/é😀\u{2028}\u{7F}\"")
    }

    @Test func nestedValuesKeepKeyOrder() {
        let value: JSONValue = ["z": 1, "a": [true, false, nil, "x"], "m": ["k": 2.5]]
        #expect(value.jsonString == #"{"z":1,"a":[true,false,null,"x"],"m":{"k":2.5}}"#)
    }

    @Test func attachmentsAreWrittenByTheCaller() {
        let value: JSONTree<Int> = ["a": .attachment(7), "b": [.attachment(8), 1]]
        var writer = JSONWriter()
        var seen: [Int] = []
        writer.write(value) { number, writer in
            writer.append(#"{"n":"#)
            writer.writeInteger(number)
            writer.append(UInt8(ascii: "}"))
            seen.append(number)
        }
        #expect(writer.string == #"{"a":{"n":7},"b":[{"n":8},1]}"#)
        #expect(seen == [7, 8])
        #expect(value.description == #"{"a":null,"b":[null,1]}"#)
    }

    @Test func documentsWrittenMemberByMember() {
        var writer = JSONWriter(capacity: 16)
        writer.append(#"{"code":"#)
        writer.writeInteger(UInt64.max)
        writer.append(#","message":"#)
        writer.writeString("Bad \"request\"")
        writer.append(#","n":"#)
        writer.writeNumber(-1.5)
        writer.append(UInt8(ascii: "}"))
        #expect(writer.string == #"{"code":18446744073709551615,"message":"Bad \"request\"","n":-1.5}"#)
    }
}
