/// A JSON text could not be parsed: what was wrong, and at which byte.
public struct JSONParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, e.g. "unexpected character".
    public let reason: String
    /// Byte offset in the input where the problem was found.
    public let offset: Int

    /// Creates an error with a reason and a byte offset.
    @inlinable
    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// "invalid JSON: <reason> at byte <offset>".
    public var description: String { "invalid JSON: \(reason) at byte \(offset)" }
}
