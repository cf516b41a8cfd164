import NIOCore

/// An ordered list of header fields. Lookup is case-insensitive (ASCII); order and duplicates are
/// preserved exactly as received or added.
///
/// The fields live in one byte buffer (for parsed requests: a slice of the received bytes) plus a
/// small array of byte ranges, so parsing a head allocates no strings; names and values become
/// `String`s only when read.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One field as strings.
    public typealias Element = (name: String, value: String)

    /// The byte ranges of one field's name and value inside `storage`, as offsets from its reader index.
    @usableFromInline
    struct Field: Sendable {
        @usableFromInline var nameStart: UInt32
        @usableFromInline var nameLength: UInt32
        @usableFromInline var valueStart: UInt32
        @usableFromInline var valueLength: UInt32

        @inlinable
        init(nameStart: Int, nameLength: Int, valueStart: Int, valueLength: Int) {
            self.nameStart = UInt32(truncatingIfNeeded: nameStart)
            self.nameLength = UInt32(truncatingIfNeeded: nameLength)
            self.valueStart = UInt32(truncatingIfNeeded: valueStart)
            self.valueLength = UInt32(truncatingIfNeeded: valueLength)
        }
    }

    /// The bytes every `Field` points into; may hold bytes of removed fields.
    @usableFromInline var storage: ByteBuffer
    @usableFromInline var entries: [Field]

    /// No fields.
    public init() {
        storage = ByteBuffer()
        entries = []
    }

    /// Fields from (name, value) pairs, in order.
    public init(_ pairs: [(String, String)]) {
        self.init()
        entries.reserveCapacity(pairs.count)
        for (name, value) in pairs { add(name: name, value: value) }
    }

    /// Fields from a literal such as `["Content-Type": "text/plain"]`, in order, duplicates kept.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Fields over `storage` that the request parser has already validated.
    init(storage: ByteBuffer, fields: [Field]) {
        self.storage = storage
        self.entries = fields
    }

    /// The number of fields, duplicates included.
    public var count: Int { entries.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { entries.isEmpty }

    /// The first value of the field `name`, or nil.
    public subscript(name: String) -> String? {
        firstIndex(of: name).map { value(at: $0) }
    }

    /// Every value of the field `name`, in order.
    public func values(for name: String) -> [String] {
        indices(of: name).map { value(at: $0) }
    }

    /// Whether at least one field is named `name` (ASCII case-insensitive).
    public func contains(_ name: String) -> Bool {
        firstIndex(of: name) != nil
    }

    /// Appends a field, keeping any existing field of the same name.
    public mutating func add(name: String, value: String) {
        let base = storage.readerIndex
        let nameStart = storage.writerIndex - base
        let nameLength = storage.writeString(name)
        let valueLength = storage.writeString(value)
        entries.append(
            Field(nameStart: nameStart, nameLength: nameLength, valueStart: nameStart + nameLength, valueLength: valueLength)
        )
    }

    /// Replaces every field named `name` with one field, or appends it.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field named `name`.
    public mutating func remove(name: String) {
        let doomed = Set(indices(of: name))
        guard !doomed.isEmpty else { return }
        var index = 0
        entries.removeAll { _ in
            defer { index += 1 }
            return doomed.contains(index)
        }
        if entries.isEmpty { storage.clear() }
    }

    /// Iterates the fields in order.
    public func makeIterator() -> Iterator {
        Iterator(headers: self)
    }

    /// Iterates the fields in order, materializing each name and value as it goes.
    public struct Iterator: IteratorProtocol {
        let headers: HTTPHeaders
        var index = 0

        /// The next field, or nil after the last.
        public mutating func next() -> Element? {
            guard index < headers.entries.count else { return nil }
            defer { index += 1 }
            return (name: headers.name(at: index), value: headers.value(at: index))
        }
    }

    /// One `Name: value` line per field.
    public var description: String {
        map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// Every field as a (name, value) array, in order.
    var fields: [(name: String, value: String)] { Array(self) }

    /// The name of the field at `index` of `entries`.
    func name(at index: Int) -> String {
        let field = entries[index]
        return string(start: Int(field.nameStart), length: Int(field.nameLength))
    }

    /// The value of the field at `index` of `entries`.
    func value(at index: Int) -> String {
        let field = entries[index]
        return string(start: Int(field.valueStart), length: Int(field.valueLength))
    }

    private func string(start: Int, length: Int) -> String {
        storage.withUnsafeReadableBytes { raw in
            String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)]), as: UTF8.self)
        }
    }

    /// Calls `body` with the value bytes of the field at `index`.
    func withValueBytes<Result>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let field = entries[index]
        let start = Int(field.valueStart)
        return try storage.withUnsafeReadableBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + Int(field.valueLength))]))
        }
    }

    /// The index in `entries` of the first field named `name`.
    func firstIndex(of name: String) -> Int? {
        withUTF8Key(name) { key in
            storage.withUnsafeReadableBytes { raw in
                for index in entries.indices where Self.nameMatches(entries[index], key, raw) { return index }
                return nil
            }
        }
    }

    /// The indices in `entries` of every field named `name`.
    func indices(of name: String) -> [Int] {
        withUTF8Key(name) { key in
            storage.withUnsafeReadableBytes { raw in
                entries.indices.filter { Self.nameMatches(entries[$0], key, raw) }
            }
        }
    }

    private func withUTF8Key<Result>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var name = name
        return name.withUTF8(body)
    }

    @inline(__always)
    private static func nameMatches(_ field: Field, _ key: UnsafeBufferPointer<UInt8>, _ raw: UnsafeRawBufferPointer) -> Bool {
        guard Int(field.nameLength) == key.count else { return false }
        var offset = Int(field.nameStart)
        for byte in key {
            if asciiLowercased(raw[offset]) != asciiLowercased(byte) { return false }
            offset += 1
        }
        return true
    }

    /// ASCII case-insensitive comparison of two field names.
    @inlinable
    static func namesEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { asciiLowercased($0) == asciiLowercased($1) }
    }

    @inlinable
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}

extension HTTPHeaders {
    /// The comma-separated tokens of every `name` field, lowercased and trimmed
    /// (for `Connection`, `Upgrade`, `Transfer-Encoding`).
    public func tokens(for name: String) -> [String] {
        var tokens: [String] = []
        for index in indices(of: name) {
            withValueBytes(at: index) { bytes in
                var start = 0
                while start <= bytes.count {
                    var end = start
                    while end < bytes.count && bytes[end] != UInt8(ascii: ",") { end += 1 }
                    var lower = start
                    var upper = end
                    while lower < upper && (bytes[lower] == 0x20 || bytes[lower] == 0x09) { lower += 1 }
                    while upper > lower && (bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09) { upper -= 1 }
                    if lower < upper {
                        let token = UnsafeRawBufferPointer(rebasing: bytes[lower..<upper]).lazy.map(Self.asciiLowercased)
                        tokens.append(String(decoding: token, as: UTF8.self))
                    }
                    start = end + 1
                }
            }
        }
        return tokens
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        let chars = Set(set)
        var s = self
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return s
    }
}
