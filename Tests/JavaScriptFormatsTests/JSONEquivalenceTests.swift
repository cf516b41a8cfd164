import JavaScriptFormats
import Testing

/// `serializesIdentically(to:)` must answer exactly "do the JSON.stringify texts match" (code unit
/// for code unit, as JavaScript compares strings), the test express-session's modified check makes.
@Suite struct JSONEquivalenceTests {
    static let values: [JSONValue] = [
        .null, .bool(true), .bool(false), .number(0), .number(-0.0), .number(1), .number(1.0000000000000002),
        .number(.nan), .number(.infinity), .number(-.infinity), .number(1e21), .string(""), .string("a"),
        .string("\u{E9}"), .string("e\u{301}"), .string("1"), .array([]), .array([.null]), .array([.number(.nan)]),
        .array([.number(1), .string("1")]), .object([:]), .object(["a": .number(1)]), .object(["a": .number(-0.0)]),
        .object(["a": .number(1), "b": .number(2)]), .object(["b": .number(2), "a": .number(1)]),
        .object(["1": .null, "a": .null]), .object(["a": .null, "1": .null]), .object(["\u{E9}": .null]),
        .object(["e\u{301}": .null]),
    ]

    static func sameBytes(_ lhs: String, _ rhs: String) -> Bool { lhs.utf8.elementsEqual(rhs.utf8) }

    @Test func agreesWithComparingTheSerializedTexts() {
        for a in Self.values {
            for b in Self.values {
                #expect(a.serializesIdentically(to: b) == Self.sameBytes(a.jsonString, b.jsonString), "\(a) vs \(b)")
                let left: JSONObject<JSONValue> = ["k": a, "z": b]
                let right: JSONObject<JSONValue> = ["k": b, "z": b]
                let texts = Self.sameBytes(JSONValue.object(left).jsonString, JSONValue.object(right).jsonString)
                #expect(left.serializesIdentically(to: right) == texts, "\(a) vs \(b) in objects")
            }
        }
    }

    @Test func keysWrittenInAnotherOrderCompareByJavaScriptOrder() {
        let indexFirst: JSONObject<JSONValue> = ["2": .null, "x": .null]
        let indexLast: JSONObject<JSONValue> = ["x": .null, "2": .null]
        #expect(indexFirst.serializesIdentically(to: indexLast))
        let plain: JSONObject<JSONValue> = ["x": .null, "y": .null]
        let swapped: JSONObject<JSONValue> = ["y": .null, "x": .null]
        #expect(!plain.serializesIdentically(to: swapped))
        let composed: JSONObject<JSONValue> = ["y": .null, "\u{E9}": .null]
        let decomposed: JSONObject<JSONValue> = ["e\u{301}": .null, "y": .null]
        #expect(!composed.serializesIdentically(to: decomposed))
    }
}
