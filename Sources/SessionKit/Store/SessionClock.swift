import Foundation

/// The source of "now" for expiry decisions, injectable so tests control time.
public struct SessionClock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock reading `now`.
    public init(_ now: @escaping @Sendable () -> Date) {
        self.read = now
    }

    /// The current time.
    public func now() -> Date { read() }

    /// The system wall clock.
    public static let system = SessionClock { Date() }
}
