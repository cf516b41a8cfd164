import Foundation
import JavaScriptFormats
import SessionKit
import Testing

/// SessionKit's Foundation bridges of `JSONValue` (the JSON behaviours themselves are tested in
/// JavaScriptFormatsTests).
@Suite struct JSONValueFoundationTests {
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
}
