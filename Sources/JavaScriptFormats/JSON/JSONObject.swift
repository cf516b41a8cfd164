/// A JSON object with JavaScript's key semantics.
///
/// Keys enumerate as in a JavaScript object: canonical array-index keys (`"0"` … `"4294967294"`)
/// first, ascending, then every other key in insertion order. Setting an existing key keeps its
/// position (`obj.k = v`). Keys are equal when their UTF-8 bytes are (JavaScript compares code
/// units; Swift's `String ==` would merge `"é"` and `"e\u{301}"`). Lookups are linear in small
/// objects and hashed from ``hashThreshold`` keys on, so a hostile object with many keys costs
/// linear time to build.
public struct JSONObject<Value>: RandomAccessCollection {
    /// One member: its key and value.
    public typealias Element = (key: String, value: Value)

    /// From this many keys on, a hash index speeds up lookups.
    public static var hashThreshold: Int { 16 }

    @usableFromInline var storedKeys: [String]
    @usableFromInline var storedValues: [Value]
    /// Position of each key, kept only from `hashThreshold` keys on.
    @usableFromInline var positions: [JSONObjectKey: Int]?
    /// How many keys at the front are array indices.
    @usableFromInline var indexKeyCount: Int

    /// An empty object.
    @inlinable
    public init() {
        storedKeys = []
        storedValues = []
        positions = nil
        indexKeyCount = 0
    }

    /// An object from pairs; a repeated key keeps its first position and its last value.
    @inlinable
    public init(_ pairs: some Sequence<(String, Value)>) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// The first position.
    @inlinable public var startIndex: Int { 0 }
    /// One past the last position.
    @inlinable public var endIndex: Int { storedKeys.count }
    /// The number of members.
    @inlinable public var count: Int { storedKeys.count }
    /// Whether the object has no members.
    @inlinable public var isEmpty: Bool { storedKeys.isEmpty }

    /// The member at `position`.
    @inlinable
    public subscript(position: Int) -> Element { (storedKeys[position], storedValues[position]) }

    /// The keys, in enumeration order.
    @inlinable public var keys: [String] { storedKeys }
    /// The values, in key order.
    @inlinable public var values: [Value] { storedValues }

    /// Reserves room for `capacity` members.
    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) {
        storedKeys.reserveCapacity(capacity)
        storedValues.reserveCapacity(capacity)
    }

    /// The position of `key`, or nil.
    @inlinable
    public func index(forKey key: String) -> Int? {
        if let positions { return positions[JSONObjectKey(key)] }
        return storedKeys.firstIndex { JSONObjectKey.same($0, key) }
    }

    /// The value for `key`, or nil; assigning nil removes the key, assigning to a new key adds it
    /// where JavaScript would enumerate it.
    @inlinable
    public subscript(key: String) -> Value? {
        get { index(forKey: key).map { storedValues[$0] } }
        set {
            if let position = index(forKey: key) {
                if let newValue { storedValues[position] = newValue } else { remove(at: position) }
            } else if let newValue {
                insertNew(key, newValue)
            }
        }
    }

    /// Sets `value` for `key`, returning the value it replaced (nil for a new key).
    @inlinable
    @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: String) -> Value? {
        if let position = index(forKey: key) {
            let old = storedValues[position]
            storedValues[position] = value
            return old
        }
        insertNew(key, value)
        return nil
    }

    /// Replaces the value at `position`, keeping its key.
    @inlinable
    public mutating func setValue(_ value: Value, at position: Int) {
        storedValues[position] = value
    }

    /// Removes and returns the value for `key`, or nil when it is absent.
    @inlinable
    @discardableResult
    public mutating func removeValue(forKey key: String) -> Value? {
        guard let position = index(forKey: key) else { return nil }
        return remove(at: position).value
    }

    /// Removes and returns the member at `position`.
    @inlinable
    @discardableResult
    public mutating func remove(at position: Int) -> Element {
        let key = storedKeys.remove(at: position)
        let value = storedValues.remove(at: position)
        if position < indexKeyCount { indexKeyCount -= 1 }
        rebuildPositions()
        return (key, value)
    }

    /// The object with every value transformed, keys unchanged.
    @inlinable
    public func mapValues<T, E: Error>(_ transform: (Value) throws(E) -> T) throws(E) -> JSONObject<T> {
        var result = JSONObject<T>()
        result.storedKeys = storedKeys
        result.storedValues.reserveCapacity(count)
        for value in storedValues { result.storedValues.append(try transform(value)) }
        result.positions = positions
        result.indexKeyCount = indexKeyCount
        return result
    }

    @inlinable
    mutating func insertNew(_ key: String, _ value: Value) {
        if let index = JSONObjectKey.arrayIndex(key) {
            var position = 0
            while position < indexKeyCount, JSONObjectKey.arrayIndex(storedKeys[position])! < index { position += 1 }
            storedKeys.insert(key, at: position)
            storedValues.insert(value, at: position)
            indexKeyCount += 1
            rebuildPositions()
        } else {
            appendUnordered(key, value)
        }
    }

    /// Appends a key known to be absent, without placing array-index keys (the parser calls
    /// ``restoreJavaScriptOrder()`` once the object is complete).
    @inlinable
    mutating func appendUnordered(_ key: String, _ value: Value) {
        storedKeys.append(key)
        storedValues.append(value)
        if positions != nil {
            positions![JSONObjectKey(key)] = storedKeys.count - 1
        } else if storedKeys.count >= Self.hashThreshold {
            rebuildPositions()
        }
    }

    /// Moves array-index keys to the front in ascending order (a stable reorder); used after
    /// ``appendUnordered(_:_:)``.
    @inlinable
    mutating func restoreJavaScriptOrder() {
        var indexed: [(index: UInt32, position: Int)] = []
        for position in storedKeys.indices {
            if let index = JSONObjectKey.arrayIndex(storedKeys[position]) { indexed.append((index, position)) }
        }
        guard !indexed.isEmpty else { return }
        indexed.sort { $0.index < $1.index }
        var keys: [String] = []
        var values: [Value] = []
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        for entry in indexed {
            keys.append(storedKeys[entry.position])
            values.append(storedValues[entry.position])
        }
        for position in storedKeys.indices where JSONObjectKey.arrayIndex(storedKeys[position]) == nil {
            keys.append(storedKeys[position])
            values.append(storedValues[position])
        }
        storedKeys = keys
        storedValues = values
        indexKeyCount = indexed.count
        rebuildPositions()
    }

    @inlinable
    mutating func rebuildPositions() {
        guard storedKeys.count >= Self.hashThreshold else {
            positions = nil
            return
        }
        var table: [JSONObjectKey: Int] = [:]
        table.reserveCapacity(storedKeys.count)
        for (position, key) in storedKeys.enumerated() { table[JSONObjectKey(key)] = position }
        positions = table
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object from a literal; a repeated key keeps its first position and its last value.
    @inlinable
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements)
    }
}

extension JSONObject: Equatable where Value: Equatable {
    /// Equal when both have the same keys (by UTF-8 bytes) in the same order with equal values.
    @inlinable
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for position in lhs.storedKeys.indices
        where !JSONObjectKey.same(lhs.storedKeys[position], rhs.storedKeys[position])
            || lhs.storedValues[position] != rhs.storedValues[position]
        {
            return false
        }
        return true
    }
}

extension JSONObject: Hashable where Value: Hashable {
    /// Hashes the keys' bytes and the values, in order.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for position in storedKeys.indices {
            JSONObjectKey(storedKeys[position]).hash(into: &hasher)
            hasher.combine(storedValues[position])
        }
    }
}

extension JSONObject: Sendable where Value: Sendable {}

/// A key compared and hashed by its UTF-8 bytes, as JavaScript compares property names.
@usableFromInline
struct JSONObjectKey: Hashable, Sendable {
    @usableFromInline let string: String

    @inlinable
    init(_ string: String) { self.string = string }

    @inlinable
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        // Native strings (small ones too) expose their UTF-8 contiguously: compare the buffers,
        // not the views element by element through their iterators.
        let contiguous = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in left.elementsEqual(right) }
        }
        if let contiguous, let result = contiguous { return result }
        return lhs.utf8.elementsEqual(rhs.utf8)
    }

    @inlinable
    static func == (lhs: JSONObjectKey, rhs: JSONObjectKey) -> Bool { same(lhs.string, rhs.string) }

    @inlinable
    func hash(into hasher: inout Hasher) {
        let hashed: Void? = string.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil { Array(string.utf8).withUnsafeBytes { hasher.combine(bytes: $0) } }
        hasher.combine(0xFF as UInt8)
    }

    /// The value of `key` when it is a canonical array index (0 … 2^32 − 2), else nil.
    @inlinable
    static func arrayIndex(_ key: String) -> UInt32? {
        let utf8 = key.utf8
        guard let first = utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"), utf8.count <= 10 else {
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
}
