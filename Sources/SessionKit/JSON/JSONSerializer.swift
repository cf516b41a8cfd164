import OrderedCollections

/// Writes `JSONValue`s byte for byte as JavaScript's `JSON.stringify` does.
///
/// That means: no whitespace; object keys in JavaScript property order (array-index keys such as
/// `"2"` first in ascending numeric order, then the other keys in insertion order); numbers in the
/// shortest round-trip form with JavaScript's switch to exponent notation (`1e+21`, `1e-7`);
/// `-0` as `0`; non-finite numbers as `null`; strings escaping only `"`, `\` and control characters.
enum JSONSerializer {
    static func serialize(_ value: JSONValue) -> String {
        var output = ""
        write(value, into: &output)
        return output
    }

    static func write(_ value: JSONValue, into output: inout String) {
        switch value {
        case .null:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .number(let number):
            output += JavaScriptNumberFormat.string(number, nonFiniteAs: "null")
        case .string(let string):
            writeString(string, into: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                write(element, into: &output)
            }
            output += "]"
        case .object(let object):
            writeObject(object, into: &output)
        }
    }

    static func writeObject(_ object: OrderedDictionary<String, JSONValue>, into output: inout String) {
        output += "{"
        var first = true
        for key in javaScriptKeyOrder(object.keys) {
            if !first { output += "," }
            first = false
            writeString(key, into: &output)
            output += ":"
            write(object[key]!, into: &output)
        }
        output += "}"
    }

    /// Keys in the order a JavaScript object enumerates them.
    static func javaScriptKeyOrder(_ keys: OrderedSet<String>) -> [String] {
        var indexKeys: [(UInt32, String)] = []
        var otherKeys: [String] = []
        for key in keys {
            if let index = arrayIndex(key) {
                indexKeys.append((index, key))
            } else {
                otherKeys.append(key)
            }
        }
        if indexKeys.isEmpty { return otherKeys }
        indexKeys.sort { $0.0 < $1.0 }
        return indexKeys.map(\.1) + otherKeys
    }

    /// The value of `key` when it is a canonical array index (0 ... 2^32 - 2), else nil.
    static func arrayIndex(_ key: String) -> UInt32? {
        let utf8 = key.utf8
        guard let first = utf8.first, utf8.count <= 10, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            return nil
        }
        if first == UInt8(ascii: "0") { return utf8.count == 1 ? 0 : nil }
        var value: UInt64 = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return value <= 4_294_967_294 ? UInt32(value) : nil
    }

    static func writeString(_ string: String, into output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
