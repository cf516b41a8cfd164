import Foundation
import JavaScriptFormats
import SesiorTesting
import Testing

/// The same texts through Node's `JSON.parse` / `JSON.stringify` and through ours.
@Suite struct NodeDifferentialTests {
    /// Inputs that exercise every JavaScript behaviour the parser and writer copy.
    static let corpus: [String] = [
        #"{"b":1,"10":2,"a":3,"2":4,"01":5,"4294967295":6,"4294967294":7,"-1":8,"1.5":9}"#,
        #"{"a":1,"b":2,"a":3}"#, #"{"__proto__":{"x":1},"constructor":null,"toString":2}"#,
        #"[0,-0,0.0,-0.0,1e21,1e-7,1E+2,123e-20,5e-324,1.7976931348623157e308,9007199254740993,0.1,1e400,-1e400]"#,
        #"[12345678901234567890,123456789012345,0.30000000000000004,100,1.0,2.50,-2.5e-8,1e16,1e20]"#,
        #"["\u0000\u0001\b\f\n\r\t\u001f\u007f","\"\\\/","\u00e9\ud83d\ude00","\u2028\u2029","é😀"]"#,
        #" { "k" : [ true , false , null , { } , [ ] ] } "#, #"{"":"","\u0000":0}"#,
        #"{"é":1,"é":2}"#, #""\ud83d\ude00""#, "[[[[[[[[[[]]]]]]]]]]", "{}", "[]", "0", "\"\"", "true", "null",
    ]

    /// `JSON.stringify(JSON.parse(line))` for every line, as Node 20 computes it.
    static func node(_ lines: [String]) async throws -> [String] {
        let script = """
            let text = ''; process.stdin.on('data', c => text += c).on('end', () => {
              const out = JSON.parse(text).map(s => JSON.stringify(JSON.parse(s)));
              process.stdout.write(JSON.stringify(out));
            });
            """
        let input = JSONValue.array(lines.map(JSONValue.string)).jsonString
        let output = try JSONValue(parsing: try await NodeScript.run(["-e", script], input: Data(input.utf8), installHint: "apt-get install nodejs"))
        let strings = output.arrayValue?.compactMap(\.stringValue)
        return try #require(strings)
    }

    @Test func corpusStringifiesAsNodeDoes() async throws {
        let theirs = try await Self.node(Self.corpus)
        try #require(theirs.count == Self.corpus.count)
        for (input, expected) in zip(Self.corpus, theirs) {
            #expect(try JSONValue(parsing: input).jsonString == expected, "\(input)")
        }
    }

    /// Random trees (escapes, numbers over the whole double range, index and plain keys) written
    /// by us, read and written again by Node: the texts must be equal, and reading ours back gives
    /// the value we wrote.
    @Test func randomValuesRoundTripThroughNode() async throws {
        var generator = SeededGenerator(seed: 17)
        let values: [JSONValue] = (0..<600).map { _ in RandomJSON.value(depth: 4, using: &generator) }
        let texts = values.map(\.jsonString)
        for (value, text) in zip(values, texts) {
            #expect(try JSONValue(parsing: text) == value, "\(text)")
        }
        let theirs = try await Self.node(texts)
        try #require(theirs.count == texts.count)
        for (ours, expected) in zip(texts, theirs) where ours != expected {
            Issue.record("node wrote \(expected) for \(ours)")
        }
    }

    @Test func numbersAndStringsSerializeLikeJSONStringify() async throws {
        var generator = SystemRandomNumberGenerator()
        var numbers: [Double] = [0, 1, -1, 0.1, 1e21, 1e-7, 123e-20, 5e-324, .greatestFiniteMagnitude, 9007199254740993]
        while numbers.count < 2000 {
            let number = Double(bitPattern: generator.next())
            if number.isFinite { numbers.append(number) }
        }
        numbers += (0..<500).map { _ in Double(Int64.random(in: -1_000_000_000_000...1_000_000_000_000)) / 1000 }
        let ours = JSONValue.array(numbers.map(JSONValue.number)).jsonString
        let theirs = try await Self.node([ours])
        #expect(theirs == [ours])
    }
}
