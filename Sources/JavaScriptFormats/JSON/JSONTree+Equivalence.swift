extension JSONTree where Attachment == Never {
    /// Whether `self` and `other` serialize to the same bytes, decided without serializing.
    ///
    /// express-session decides "modified" by comparing `JSON.stringify` texts; this gives the same
    /// answer: strings compare by their UTF-8 bytes (not by Unicode canonical equivalence, which
    /// `String ==` uses), `-0` equals `0`, every non-finite number equals `null` (all are written
    /// `null`), distinct finite numbers differ (each has its own shortest form), and objects match
    /// when their keys (already in JavaScript order) and values match pairwise.
    @inlinable
    public func serializesIdentically(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null):
            return true
        case (.bool(let left), .bool(let right)):
            return left == right
        case (.number(let left), .number(let right)):
            return left == right || (!left.isFinite && !right.isFinite)
        case (.null, .number(let number)), (.number(let number), .null):
            return !number.isFinite
        case (.string(let left), .string(let right)):
            return JSONObjectKey.same(left, right)
        case (.array(let left), .array(let right)):
            guard left.count == right.count else { return false }
            for position in left.indices where !left[position].serializesIdentically(to: right[position]) {
                return false
            }
            return true
        case (.object(let left), .object(let right)):
            return left.serializesIdentically(to: right)
        default:
            return false
        }
    }
}

extension JSONObject where Value == JSONValue {
    /// Whether `self` and `other` serialize to the same bytes (see
    /// ``JSONTree/serializesIdentically(to:)``).
    @inlinable
    public func serializesIdentically(to other: JSONObject) -> Bool {
        guard count == other.count else { return false }
        for position in entries.indices
        where !JSONObjectKey.same(entries[position].key, other.entries[position].key)
            || !entries[position].value.serializesIdentically(to: other.entries[position].value)
        {
            return false
        }
        return true
    }
}
