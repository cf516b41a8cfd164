// libFuzzer target for JavaScriptFormats, the JSON and Base64 every layer shares. Each input is
// parsed as JSON (a value that parses serializes to a fixed point, re-parses equal, and an object
// enumerates its keys in JavaScript order) and decoded as Base64 in both alphabets (strict: what
// decodes encodes back to the very same text). Built by scripts/fuzz.sh with
// `-sanitize=fuzzer,address -DFUZZING`; without FUZZING it replays the files it is given.
import FuzzDriver
import JavaScriptFormats

/// `value` as `JSON.stringify` writes it: non-finite numbers (`1e400` parses to Infinity, in
/// JavaScript too) become `null`.
func asWritten(_ value: JSONValue) -> JSONValue {
    switch value {
    case .number(let number) where !number.isFinite: return .null
    case .array(let items): return .array(items.map(asWritten))
    case .object(let members): return .object(members.mapValues(asWritten))
    default: return value
    }
}

/// Array-index keys first, ascending, as a JavaScript object enumerates them.
func checkKeyOrder(_ value: JSONValue) {
    switch value {
    case .array(let items): items.forEach(checkKeyOrder)
    case .object(let members):
        let indices = members.keys.prefix { isArrayIndex($0) }.map { UInt64($0)! }
        precondition(indices == indices.sorted(), "array-index keys out of order")
        precondition(!members.keys.dropFirst(indices.count).contains(where: isArrayIndex), "index key after a named key")
        members.values.forEach(checkKeyOrder)
    default: break
    }
}

func isArrayIndex(_ key: String) -> Bool {
    guard let number = UInt64(key), number <= 4_294_967_294 else { return false }
    return String(number) == key
}

func checkJSON(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let value = try? JSONValue(parsing: bytes) else { return }
    checkKeyOrder(value)
    let text = value.jsonString
    guard let again = try? JSONValue(parsing: text) else { preconditionFailure("serialized JSON does not parse: \(text)") }
    precondition(again.jsonString == text, "serialization is not a fixed point")
    precondition(again == asWritten(value), "value changed in a round trip")
    precondition(again.serializesIdentically(to: value), "serializesIdentically disagrees with the text")
}

/// Strict base64: text that decodes is the canonical encoding of its bytes (up to padding, which
/// the padding option decides), so no two texts decode to the same bytes.
func checkBase64(_ bytes: UnsafeBufferPointer<UInt8>) {
    let unpadded = Array(bytes.prefix { $0 != UInt8(ascii: "=") })
    for alphabet in [Base64.Alphabet.standard, .urlSafe] {
        for padding in [Base64.Padding.required, .none, .optional] {
            guard let decoded = Base64.decode(bytes, alphabet: alphabet, padding: padding) else { continue }
            var encoded: [UInt8] = []
            Base64.encode(decoded, alphabet: alphabet, padding: .none, into: &encoded)
            precondition(encoded == unpadded, "decoded base64 is not the canonical text of its bytes")
            if padding == .required { precondition(bytes.count % 4 == 0, "unpadded text accepted as padded") }
            if padding == .none { precondition(unpadded.count == bytes.count, "padding accepted where refused") }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    checkJSON(input)
    checkBase64(input)
    return 0
}

runFuzzer(fuzzOneInput)
