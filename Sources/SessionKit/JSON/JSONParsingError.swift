/// A JSON text could not be parsed; `reason` says what was wrong and `offset` where (in bytes).
public struct JSONParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, e.g. "unexpected character".
    public let reason: String
    /// Byte offset in the input where the problem was found.
    public let offset: Int

    /// Creates an error with a reason and a byte offset.
    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// "invalid JSON: <reason> at byte <offset>".
    public var description: String { "invalid JSON: \(reason) at byte \(offset)" }
}
