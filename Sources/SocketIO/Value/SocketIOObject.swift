/// A JSON object whose keys keep their insertion order, as JavaScript objects do for string keys.
///
/// Lookups are linear: Socket.IO payload objects are small, and a flat array keeps them cheap to
/// build and to serialize. Setting an existing key keeps its position (like `obj.k = v`).
public struct SocketIOObject: Hashable, Sendable, RandomAccessCollection {
    /// One key/value pair.
    public struct Entry: Hashable, Sendable {
        /// The key.
        public var key: String
        /// The value.
        public var value: SocketIOValue
    }

    private var entries: [Entry]

    /// An empty object.
    public init() { entries = [] }

    /// An object from pairs; a repeated key keeps its first position and its last value.
    public init(_ pairs: some Sequence<(String, SocketIOValue)>) {
        entries = []
        for (key, value) in pairs { self[key] = value }
    }

    /// The first index.
    public var startIndex: Int { entries.startIndex }
    /// One past the last index.
    public var endIndex: Int { entries.endIndex }
    /// The entry at `position`.
    public subscript(position: Int) -> Entry { entries[position] }

    /// The value for `key`, or `nil`; assigning `nil` removes the key.
    public subscript(key: String) -> SocketIOValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Appends without checking for duplicates; used by the parser after its own check.
    mutating func appendUnchecked(_ key: String, _ value: SocketIOValue) {
        entries.append(Entry(key: key, value: value))
    }

    /// Replaces the value at an index (used by binary deconstruction and reconstruction).
    mutating func setValue(_ value: SocketIOValue, at index: Int) {
        entries[index].value = value
    }
}

extension SocketIOObject: ExpressibleByDictionaryLiteral {
    /// An object from a literal; key order is kept.
    public init(dictionaryLiteral elements: (String, SocketIOValue)...) {
        self.init(elements)
    }
}
