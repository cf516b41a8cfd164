/// A session store could not do what was asked. Hosts answer it with `503 Service Unavailable`
/// and `reason`; it never means "no session".
public struct SessionStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case unavailable
        case corruptRecord
        case conflict
        case failed
    }

    private let code: Code
    /// A short human-readable reason, safe to show to a client.
    public let reason: String

    private init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The store cannot be reached (connection refused, timed out, closed).
    public static func unavailable(_ reason: String) -> SessionStoreError { .init(.unavailable, reason) }
    /// A stored record is not a valid session JSON object.
    public static func corruptRecord(_ reason: String) -> SessionStoreError { .init(.corruptRecord, reason) }
    /// An atomic update kept conflicting with other writers and gave up.
    public static func conflict(_ reason: String) -> SessionStoreError { .init(.conflict, reason) }
    /// Any other store failure.
    public static func failed(_ reason: String) -> SessionStoreError { .init(.failed, reason) }

    /// Whether the store could not be reached.
    public var isUnavailable: Bool { code == .unavailable }
    /// Whether a stored record was corrupt.
    public var isCorruptRecord: Bool { code == .corruptRecord }
    /// Whether an atomic update gave up after conflicts.
    public var isConflict: Bool { code == .conflict }

    /// HTTP status a host should answer with: always 503.
    public var httpStatusCode: Int { 503 }

    /// "session store error: <reason>".
    public var description: String { "session store error: \(reason)" }
}
