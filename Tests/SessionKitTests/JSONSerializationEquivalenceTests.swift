import OrderedCollections
import Testing

@testable import SessionKit

/// `JSONSerializer.serializeIdentically` must answer exactly "do the JSON.stringify texts match"
/// (code unit for code unit, as JavaScript compares strings; Swift's `==` on `String` would call
/// "\u{E9}" and "e\u{301}" equal), the test express-session's modified-check makes.
@Suite struct JSONSerializationEquivalenceTests {
    static let values: [JSONValue] = [
        .null, .bool(true), .bool(false), .number(0), .number(-0.0), .number(1), .number(1.0000000000000002),
        .number(.nan), .number(.infinity), .number(-.infinity), .number(1e21), .string(""), .string("a"),
        .string("\u{E9}"), .string("e\u{301}"), .string("1"), .array([]), .array([.null]), .array([.number(.nan)]),
        .array([.number(1), .string("1")]), .object([:]), .object(["a": .number(1)]), .object(["a": .number(-0.0)]),
        .object(["a": .number(1), "b": .number(2)]), .object(["b": .number(2), "a": .number(1)]),
        .object(["1": .null, "a": .null]), .object(["a": .null, "1": .null]), .object(["\u{E9}": .null]),
        .object(["e\u{301}": .null]),
    ]

    static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    static var pairs: [(Int, Int)] {
        values.indices.flatMap { left in values.indices.map { (left, $0) } }
    }

    @Test func agreesWithComparingTheSerializedTexts() {
        for (left, right) in Self.pairs {
            let a = Self.values[left], b = Self.values[right]
            let texts = Self.sameBytes(JSONSerializer.serialize(a), JSONSerializer.serialize(b))
            #expect(JSONSerializer.serializeIdentically(a, b) == texts, "\(a) vs \(b)")
            let objects = Self.sameBytes(
                JSONSerializer.serialize(.object(["k": a, "z": b])), JSONSerializer.serialize(.object(["k": b, "z": b])))
            let left: OrderedDictionary<String, JSONValue> = ["k": a, "z": b]
            let right: OrderedDictionary<String, JSONValue> = ["k": b, "z": b]
            #expect(JSONSerializer.serializeIdentically(left, right) == objects, "\(a) vs \(b) in objects")
        }
    }

    @Test func keysInAnotherOrderCompareByJavaScriptOrder() {
        let indexFirst: OrderedDictionary<String, JSONValue> = ["2": .null, "x": .null]
        let indexLast: OrderedDictionary<String, JSONValue> = ["x": .null, "2": .null]
        #expect(JSONSerializer.serializeIdentically(indexFirst, indexLast))
        let plain: OrderedDictionary<String, JSONValue> = ["x": .null, "y": .null]
        let swapped: OrderedDictionary<String, JSONValue> = ["y": .null, "x": .null]
        #expect(!JSONSerializer.serializeIdentically(plain, swapped))
        let composed: OrderedDictionary<String, JSONValue> = ["y": .null, "\u{E9}": .null]
        let decomposed: OrderedDictionary<String, JSONValue> = ["e\u{301}": .null, "y": .null]
        #expect(!JSONSerializer.serializeIdentically(composed, decomposed))
    }
}
