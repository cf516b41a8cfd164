import NIOCore

/// A JSON value that can also hold binary data: the arguments of Socket.IO events and acks.
///
/// Binary values never appear in JSON text; the packet encoder replaces them with
/// `{"_placeholder":true,"num":N}` and sends the bytes as separate attachments.
public enum SocketIOValue: Hashable, Sendable {
    /// JSON `null`.
    case null
    /// JSON `true` / `false`.
    case bool(Bool)
    /// A JSON number (JavaScript numbers are doubles).
    case number(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([SocketIOValue])
    /// A JSON object, keys kept in insertion order.
    case object(SocketIOObject)
    /// Raw bytes, sent as a binary attachment.
    case binary(ByteBuffer)

    /// True when this value or anything nested in it is `.binary`.
    public var containsBinary: Bool {
        switch self {
        case .binary: return true
        case .array(let values): return values.contains { $0.containsBinary }
        case .object(let object): return object.contains { $0.value.containsBinary }
        case .null, .bool, .number, .string: return false
        }
    }

    /// The string, when this is `.string`.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The array, when this is `.array`.
    public var arrayValue: [SocketIOValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// The object, when this is `.object`.
    public var objectValue: SocketIOObject? {
        if case .object(let object) = self { return object }
        return nil
    }
}

extension SocketIOValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `nil` is JSON `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer literal, stored as a double like JavaScript does.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array literal.
    public init(arrayLiteral elements: SocketIOValue...) { self = .array(elements) }
    /// A dictionary literal; key order is kept.
    public init(dictionaryLiteral elements: (String, SocketIOValue)...) {
        self = .object(SocketIOObject(elements))
    }
}
