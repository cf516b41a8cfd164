/// A MessagePack value as notepack.io (the default parser of `@socket.io/redis-adapter`) writes
/// and reads it.
///
/// Maps have string keys only (notepack writes JavaScript objects, whose keys are strings) and keep
/// JavaScript key order (a ``JSONObject``). Integers keep the family they were read from so that a
/// value decodes and re-encodes to the same bytes; ``MessagePackEncoder`` writes either family in
/// the shortest form notepack would choose for that number.
public enum MessagePackValue: Hashable, Sendable {
    /// `nil` (`0xc0`), JavaScript `null`.
    case null
    /// `false` / `true` (`0xc2` / `0xc3`).
    case bool(Bool)
    /// An integer read from a signed form (negative fixint, `int 8…64`).
    case int(Int64)
    /// An integer read from an unsigned form (positive fixint, `uint 8…64`).
    case uint(UInt64)
    /// A `float 64` (`0xcb`); notepack writes every non-integral or non-finite number so.
    case float64(Double)
    /// A `float 32` (`0xca`); notepack never writes one but reads it.
    case float32(Float)
    /// A UTF-8 string (fixstr, `str 8/16/32`).
    case string(String)
    /// Raw bytes (`bin 8/16/32`): a Node `Buffer`.
    case binary([UInt8])
    /// An array (fixarray, `array 16/32`).
    case array([MessagePackValue])
    /// A map with string keys (fixmap, `map 16/32`).
    case map(JSONObject<MessagePackValue>)
    /// JavaScript `undefined`: `fixext 1`, type 0, one zero byte (`d4 00 00`).
    case undefined
    /// A JavaScript `Date`: `fixext 8`, type 0, its milliseconds since 1970 as a big-endian
    /// 64-bit integer (notepack's two 32-bit halves).
    case date(milliseconds: Int64)
    /// Any other extension value: `type` and its payload, written as `ext 8/16/32` whatever its
    /// length, as notepack writes an `ArrayBuffer` (type 0). A `fixext` of another type decodes
    /// to this case too (and re-encodes in the `ext` form).
    case ext(type: Int8, data: [UInt8])

    /// The number this value holds (any integer or float form), as a JavaScript number.
    public var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .uint(let value): Double(value)
        case .float64(let value): value
        case .float32(let value): Double(value)
        default: nil
        }
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [MessagePackValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, if this is a map.
    public var mapValue: JSONObject<MessagePackValue>? {
        if case .map(let value) = self { return value }
        return nil
    }

    /// The member `key` of a map (nil for other values or a missing key).
    public subscript(key: String) -> MessagePackValue? { mapValue?[key] }

    /// A JavaScript number as notepack writes it: an integral finite number in the shortest
    /// integer form, anything else as `float 64`.
    public static func number(_ value: Double) -> MessagePackValue {
        guard value.isFinite, value.rounded(.down) == value else { return .float64(value) }
        if value >= 0, let unsigned = UInt64(exactly: value) { return .uint(unsigned) }
        if let signed = Int64(exactly: value) { return .int(signed) }
        return .float64(value)
    }
}
