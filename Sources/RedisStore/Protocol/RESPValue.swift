/// One reply of the Redis serialization protocol (RESP2, the protocol hiredis 0.14 speaks).
public enum RESPValue: Sendable, Hashable {
    /// A status reply such as `+OK` or `+PONG`.
    case simpleString(String)
    /// A bulk string: arbitrary bytes, not necessarily UTF-8.
    case bulkString([UInt8])
    /// An integer reply (`:42`).
    case integer(Int64)
    /// A multi-bulk reply; elements may themselves be any reply, errors included.
    case array([RESPValue])
    /// The null bulk string or null array (`$-1`, `*-1`).
    case null
    /// An error reply (`-ERR ...`) with the server's text.
    case error(String)
}

extension RESPValue {
    /// The bytes of a bulk or simple string; `nil` for every other reply.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): return bytes
        case .simpleString(let text): return Array(text.utf8)
        default: return nil
        }
    }

    /// A bulk or simple string decoded as UTF-8 (invalid sequences repaired); `nil` otherwise.
    public var string: String? {
        switch self {
        case .bulkString(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .simpleString(let text): return text
        default: return nil
        }
    }

    /// The value of an integer reply, or of a bulk string holding a decimal integer.
    public var int: Int? {
        switch self {
        case .integer(let value): return Int(value)
        case .bulkString(let bytes): return Int(String(decoding: bytes, as: UTF8.self))
        default: return nil
        }
    }

    /// The elements of an array reply; `nil` otherwise.
    public var array: [RESPValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the null reply.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
