import JavaScriptFormats
import Testing

/// A JavaScript object's key semantics.
@Suite struct JSONObjectTests {
    @Test func newArrayIndexKeysGoWhereJavaScriptEnumeratesThem() {
        var object: JSONObject<Int> = ["b": 1, "a": 2]
        object["10"] = 3
        object["2"] = 4
        object["c"] = 5
        object["01"] = 6
        object["0"] = 7
        #expect(object.keys == ["0", "2", "10", "b", "a", "c", "01"])
    }

    @Test func settingAnExistingKeyKeepsItsPosition() {
        var object: JSONObject<Int> = ["x": 1, "y": 2, "z": 3]
        object["x"] = 9
        #expect(object.keys == ["x", "y", "z"] && object["x"] == 9)
        #expect(object.updateValue(10, forKey: "y") == 2)
        #expect(object.updateValue(11, forKey: "w") == nil)
        #expect(object.keys == ["x", "y", "z", "w"])
    }

    @Test func removingKeys() {
        var object: JSONObject<Int> = ["1": 1, "a": 2, "b": 3]
        object["a"] = nil
        #expect(object.keys == ["1", "b"])
        #expect(object.removeValue(forKey: "1") == 1)
        #expect(object.removeValue(forKey: "1") == nil)
        object["0"] = 4
        #expect(object.keys == ["0", "b"])
        #expect(object.remove(at: 1) == ("b", 3))
        #expect(object.keys == ["0"])
        object["0"] = nil
        #expect(object.isEmpty)
    }

    /// JavaScript compares property names by code units; Swift's `==` would merge these two.
    @Test func keysAreComparedByTheirBytes() {
        var object = JSONObject<Int>()
        object["\u{E9}"] = 1
        object["e\u{301}"] = 2
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == 1 && object["e\u{301}"] == 2)
        let composed: JSONObject<Int> = ["\u{E9}": 1]
        let decomposed: JSONObject<Int> = ["e\u{301}": 1]
        #expect(composed != decomposed)
    }

    @Test(arguments: [1, 15, 16, 17, 200])
    func lookupsAgreeBelowAndAboveTheHashThreshold(count: Int) {
        var object = JSONObject<Int>()
        for number in (0..<count).reversed() { object["k\(number)"] = number }
        for number in 0..<count { object[String(number)] = -number }
        #expect(object.count == 2 * count)
        #expect(object.keys.prefix(count) == ArraySlice((0..<count).map(String.init)))
        for number in 0..<count {
            #expect(object["k\(number)"] == number)
            #expect(object[String(number)] == -number)
        }
        object["k0"] = nil
        #expect(object["k0"] == nil && object.count == 2 * count - 1)
        #expect(object.index(forKey: String(count - 1)) == count - 1)
        #expect(object["k\(count / 2)"] == (count > 1 ? count / 2 : nil))
    }

    @Test func equalityAndHashingFollowKeyOrder() {
        let ab: JSONObject<Int> = ["a": 1, "b": 2]
        let ba: JSONObject<Int> = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == JSONObject([("a", 1), ("b", 2)]))
        #expect(Set([ab, ab, ba]).count == 2)
        #expect(ab.mapValues { $0 * 10 } == ["a": 10, "b": 20])
    }
}
