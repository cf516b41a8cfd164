import OrderedCollections

extension JSONSerializer {
    /// Whether `lhs` and `rhs` serialize to the same bytes (the UTF-8 of `serialize(.object(lhs))`
    /// and `serialize(.object(rhs))`), decided without serializing in the common cases.
    ///
    /// express-session decides "modified" by comparing `JSON.stringify` texts; this gives the same
    /// answer: strings compare by their UTF-8 bytes (not by Unicode canonical equivalence, which
    /// `String.==` uses), `-0` equals `0`, a non-finite number equals `null` and any other
    /// non-finite number (all are written `null`), distinct finite numbers differ (each has its
    /// own shortest round-trip form). Objects whose keys are not in the same order are serialized
    /// and compared as text, because JavaScript's key order (array indices first) decides there.
    static func serializeIdentically(
        _ lhs: OrderedDictionary<String, JSONValue>, _ rhs: OrderedDictionary<String, JSONValue>
    ) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var sameKeyOrder = true
        for (left, right) in zip(lhs.keys, rhs.keys) where !left.utf8.elementsEqual(right.utf8) {
            sameKeyOrder = false
            break
        }
        guard sameKeyOrder else {
            return serialize(.object(lhs)).utf8.elementsEqual(serialize(.object(rhs)).utf8)
        }
        for (left, right) in zip(lhs.values, rhs.values) where !serializeIdentically(left, right) {
            return false
        }
        return true
    }

    /// Whether `lhs` and `rhs` serialize to the same text (see the object overload).
    static func serializeIdentically(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case (.bool(let left), .bool(let right)):
            return left == right
        case (.number(let left), .number(let right)):
            return left == right || (!left.isFinite && !right.isFinite)
        case (.null, .number(let number)), (.number(let number), .null):
            return !number.isFinite
        case (.string(let left), .string(let right)):
            return left.utf8.elementsEqual(right.utf8)
        case (.array(let left), .array(let right)):
            guard left.count == right.count else { return false }
            for (leftElement, rightElement) in zip(left, right) where !serializeIdentically(leftElement, rightElement) {
                return false
            }
            return true
        case (.object(let left), .object(let right)):
            return serializeIdentically(left, right)
        default:
            return false
        }
    }
}
