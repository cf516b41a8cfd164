import OrderedCollections

/// A JSON value that keeps object keys in the order they were read or written.
///
/// Session data is held as `JSONValue`s so that keys written by another application (an Express app
/// sharing the same store, say) survive a read-modify-write untouched. Numbers are IEEE doubles, as
/// in JavaScript, so a value round-trips exactly the way `JSON.parse` / `JSON.stringify` treat it.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number; JavaScript numbers are doubles, so are these.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object whose keys keep their insertion order.
    case object(OrderedDictionary<String, JSONValue>)

    /// The string payload, or nil when this is not a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number payload, or nil when this is not a number.
    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The boolean payload, or nil when this is not a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The array payload, or nil when this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object payload, or nil when this is not an object.
    public var objectValue: OrderedDictionary<String, JSONValue>? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool { self == .null }

    /// The member `key` of an object (nil for a missing key or a non-object); setting on a
    /// non-object turns it into an object, setting nil removes the key.
    public subscript(key: String) -> JSONValue? {
        get { objectValue?[key] }
        set {
            var object = objectValue ?? [:]
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element at `index` of an array, or nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// This value as `JSON.stringify` writes it (no whitespace, JavaScript key and number order).
    public var jsonString: String { JSONSerializer.serialize(self) }

    /// Parses a JSON text the way `JSON.parse` does.
    ///
    /// - Throws: `JSONParsingError` for anything that is not a single valid JSON value.
    public init(parsing text: String) throws(JSONParsingError) {
        self = try JSONParser.parse(Array(text.utf8))
    }

    /// Parses a JSON text given as UTF-8 bytes.
    ///
    /// - Throws: `JSONParsingError` for anything that is not a single valid JSON value.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParsingError) {
        self = try JSONParser.parse(Array(bytes))
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    /// `nil` is JSON `null`.
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// An integer literal, stored as a double.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// An array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// An object literal; keys keep the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = OrderedDictionary<String, JSONValue>()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSONValue: CustomStringConvertible {
    /// The JSON text of this value.
    public var description: String { jsonString }
}
