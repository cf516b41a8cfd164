/// A `SessionStore` did not behave as the protocol promises; `check` names the behaviour and
/// `message` says what differed.
public struct StoreConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The conformance check that failed, e.g. `"setThenGet"`.
    public let check: String
    /// What was expected and what was observed.
    public let message: String

    /// A failure of `check` with a message.
    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }

    /// "<check>: <message>".
    public var description: String { "\(check): \(message)" }
}
