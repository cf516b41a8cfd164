/// How a bus that must not fail to start opens its subscriptions: one attempt before the server
/// goes on (so with Redis up it is subscribed when it starts), then attempts in the background
/// with backoff (`retryDelay`, doubling, at most 5 s) until one succeeds or the bus stops.
enum RedisAdapterSubscribing {
    /// Makes the first attempt and returns after it; keeps trying in a task of its own if it
    /// failed. `onFailure` hears each failed attempt, `onSubscribed` a later success.
    static func keepTrying(
        retryDelay: Duration, isStopped: @escaping @Sendable () -> Bool,
        attempt: @escaping @Sendable () async throws -> Void, onFailure: @escaping @Sendable (any Error) -> Void,
        onSubscribed: @escaping @Sendable () -> Void
    ) async {
        do {
            try await attempt()
            return
        } catch {
            onFailure(error)
        }
        Task {
            try? await Task.sleep(for: retryDelay)
            var delay = retryDelay * 2
            while !isStopped() {
                do {
                    try await attempt()
                    onSubscribed()
                    return
                } catch {
                    onFailure(error)
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
