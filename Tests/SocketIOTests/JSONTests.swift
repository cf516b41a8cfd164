import NIOCore
import Testing

@testable import SocketIO

@Suite("JSON value, reader and writer")
struct JSONTests {
    /// Expected outputs produced by Node 20's `JSON.stringify`.
    static let numbers: [(Double, String)] = [
        (1, "1"), (-1, "-1"), (0.1, "0.1"), (1e21, "1e+21"), (1e-7, "1e-7"), (1e20, "100000000000000000000"),
        (123_456_789_012_345_680_000, "123456789012345680000"), (1.5e-10, "1.5e-10"),
        (9_007_199_254_740_992, "9007199254740992"), (9_007_199_254_740_994, "9007199254740994"), (-0.0, "0"),
        (0.000001, "0.000001"), (0.0000012345, "0.0000012345"), (1e300, "1e+300"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (100, "100"), (123.456, "123.456"),
        (-2.5e-8, "-2.5e-8"), (1.0 / 3.0, "0.3333333333333333"), (4.35, "4.35"), (1e16, "10000000000000000"),
        (12_345_678_901_234_567_890_123, "1.2345678901234568e+22"), (.infinity, "null"), (.nan, "null"),
    ]

    @Test("numbers are written as JSON.stringify writes them", arguments: numbers)
    func numberFormatting(value: Double, expected: String) {
        #expect(SocketIOValue.number(value).jsonString == expected)
    }

    @Test func stringEscapesMatchJavaScript() {
        let value = SocketIOValue.string("a\"b\\c\n\r\t\u{8}\u{C}\u{1}\u{1F}/é😀\u{2028}")
        #expect(value.jsonString == #""a\"b\\c\n\r\t\b\f\u0001\u001f/é😀"# + "\u{2028}\"")
    }

    @Test func nestedValuesKeepKeyOrder() {
        let value: SocketIOValue = ["z": 1, "a": [true, false, nil, "x"], "m": ["k": 2.5]]
        #expect(value.jsonString == #"{"z":1,"a":[true,false,null,"x"],"m":{"k":2.5}}"#)
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try SocketIOValue(
            json: #" {"a" : [1, -2.5e3, true, false, null, "s\u00e9\ud83d\ude00\n"], "b": {}} "#)
        let expected: SocketIOValue = ["a": [1, -2500, true, false, nil, "sé😀\n"], "b": .object([:])]
        #expect(value == expected)
    }

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        #expect(try SocketIOValue(json: #"{"a":1,"b":2,"a":3}"#).jsonString == #"{"a":3,"b":2}"#)
    }

    @Test func loneSurrogateBecomesReplacementCharacter() throws {
        #expect(try SocketIOValue(json: #""\ud800x""#) == "\u{FFFD}x")
    }

    @Test func largeIntegersAndFractionsRoundTrip() throws {
        for text in ["12345678901234567890", "0.1", "-0.000001", "1e+300", "9007199254740993"] {
            let value = try SocketIOValue(json: text)
            guard case .number(let number) = value else {
                Issue.record("not a number")
                continue
            }
            #expect(number == Double(text))
        }
    }

    static let malformed: [String] = [
        "", " ", "{", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":}", "{a:1}", "tru", "nul", "01", "1.", ".5", "-", "1e",
        "\"abc", "\"\\x\"", "\"\\u12g4\"", "\"a\u{1}\"", "[1]x", "'a'", "NaN", "Infinity", "+1", "{\"a\":1,}",
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ]

    @Test("malformed JSON is rejected", arguments: malformed)
    func rejectsMalformed(text: String) {
        #expect(throws: JSONError.self) { try SocketIOValue(json: text) }
    }

    @Test func randomValuesRoundTripThroughText() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let value = RandomValues.json(depth: 3, using: &generator)
            #expect(try SocketIOValue(json: value.jsonString) == value)
        }
    }
}
