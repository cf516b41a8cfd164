#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The current `Date` header value, recomputed at most once per second of the injected clock.
///
/// One cache lives with each connection's serializer, so no state is shared between threads.
public struct HTTPDateCache: Sendable {
    /// Returns the current Unix time in whole seconds.
    public typealias Clock = @Sendable () -> Int64

    private let now: Clock
    private var cachedSecond: Int64
    private var cachedValue: String

    /// A cache reading `now` (default: the system's wall clock).
    public init(now: @escaping Clock = HTTPDateCache.systemNow) {
        self.now = now
        self.cachedSecond = .min
        self.cachedValue = ""
    }

    /// The IMF-fixdate for the clock's current second.
    public mutating func value() -> String {
        let second = now()
        if second != cachedSecond {
            cachedSecond = second
            cachedValue = IMFFixdate.format(secondsSince1970: second)
        }
        return cachedValue
    }

    /// The system wall clock in whole seconds since 1970.
    public static let systemNow: Clock = {
        Int64(time(nil))
    }
}
