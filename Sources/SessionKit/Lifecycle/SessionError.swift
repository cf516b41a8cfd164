/// A session operation could not be done for a reason other than the store failing.
public struct SessionError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case notFound
        case inactive
    }

    private let code: Code
    /// A short reason, safe to show to a client.
    public let reason: String

    private init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `reload` found no session in the store (it expired or was destroyed).
    public static let notFound = SessionError(.notFound, "failed to load session")
    /// The session was unset or destroyed during this request, so it cannot be saved or reloaded.
    public static let inactive = SessionError(.inactive, "session was unset or destroyed")

    /// Whether the session was not found in the store.
    public var isNotFound: Bool { code == .notFound }

    /// "session error: <reason>".
    public var description: String { "session error: \(reason)" }
}
