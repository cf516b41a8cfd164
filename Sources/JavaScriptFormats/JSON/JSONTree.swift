/// A JSON value whose tree may also hold values of type `Attachment` where JSON text has none.
///
/// Plain JSON is ``JSONValue`` (`JSONTree<Never>`). Socket.IO event arguments are
/// `JSONTree<ByteBuffer>`: binary attachments sit in the tree where the application put them and
/// become `{"_placeholder":true,"num":N}` only on the wire. Numbers are doubles and objects are
/// ``JSONObject``s in JavaScript key order, so a value round-trips exactly as `JSON.parse` /
/// `JSON.stringify` treat it.
public enum JSONTree<Attachment> {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number; JavaScript numbers are doubles, so are these.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONTree])
    /// An object, keys in JavaScript enumeration order.
    case object(JSONObject<JSONTree>)
    /// A value that JSON text cannot hold (never produced by parsing).
    case attachment(Attachment)

    /// The string payload, or nil when this is not a string.
    @inlinable
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number payload, or nil when this is not a number.
    @inlinable
    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The boolean payload, or nil when this is not a boolean.
    @inlinable
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The array payload, or nil when this is not an array.
    @inlinable
    public var arrayValue: [JSONTree]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object payload, or nil when this is not an object.
    @inlinable
    public var objectValue: JSONObject<JSONTree>? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    @inlinable
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// True when this value or anything nested in it is an attachment.
    @inlinable
    public var containsAttachment: Bool {
        switch self {
        case .attachment: return true
        case .array(let values): return values.contains { $0.containsAttachment }
        case .object(let object): return object.contains { $0.value.containsAttachment }
        case .null, .bool, .number, .string: return false
        }
    }

    /// The member `key` of an object (nil for a missing key or a non-object); setting on a
    /// non-object turns it into an object, setting nil removes the key.
    @inlinable
    public subscript(key: String) -> JSONTree? {
        get {
            if case .object(let object) = self { return object[key] }
            return nil
        }
        set {
            var object = objectValue ?? JSONObject()
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element at `index` of an array, or nil when out of range or not an array.
    @inlinable
    public subscript(index: Int) -> JSONTree? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }
}

/// A plain JSON value: a ``JSONTree`` without attachments.
public typealias JSONValue = JSONTree<Never>

extension JSONTree: Equatable where Attachment: Equatable {}
extension JSONTree: Hashable where Attachment: Hashable {}
extension JSONTree: Sendable where Attachment: Sendable {}

extension JSONTree: ExpressibleByNilLiteral {
    /// `nil` is JSON `null`.
    @inlinable
    public init(nilLiteral: ()) { self = .null }
}

extension JSONTree: ExpressibleByBooleanLiteral {
    /// A boolean literal.
    @inlinable
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONTree: ExpressibleByIntegerLiteral {
    /// An integer literal, stored as a double as JavaScript does.
    @inlinable
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension JSONTree: ExpressibleByFloatLiteral {
    /// A floating-point literal.
    @inlinable
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension JSONTree: ExpressibleByStringLiteral {
    /// A string literal.
    @inlinable
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONTree: ExpressibleByArrayLiteral {
    /// An array literal.
    @inlinable
    public init(arrayLiteral elements: JSONTree...) { self = .array(elements) }
}

extension JSONTree: ExpressibleByDictionaryLiteral {
    /// An object literal; keys take JavaScript order (array indices first, then as written).
    @inlinable
    public init(dictionaryLiteral elements: (String, JSONTree)...) {
        self = .object(JSONObject(elements))
    }
}

extension JSONTree where Attachment == Never {
    /// This value as `JSON.stringify` writes it.
    @inlinable
    public var jsonString: String {
        var writer = JSONWriter()
        writer.write(self)
        return writer.string
    }
}

extension JSONTree: CustomStringConvertible {
    /// The JSON text of this value; attachments are written as `null`.
    public var description: String {
        var writer = JSONWriter()
        writer.write(self) { _, writer in writer.append("null") }
        return writer.string
    }
}
