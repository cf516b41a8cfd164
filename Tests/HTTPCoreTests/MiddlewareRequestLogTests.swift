import Logging
import NIOCore
import Testing

@testable import HTTPCore

@Suite("Middleware: request log")
struct MiddlewareRequestLogTests {
    /// A log handler that keeps every message.
    struct CapturingHandler: LogHandler {
        let messages: LockedBox<[String]>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            messages.value.append("\(event.level) \(event.message)")
        }
    }

    @Test("one line per request with method, path, status and duration")
    func logsLine() async throws {
        let messages = LockedBox<[String]>([])
        let logger = Logger(label: "test") { _ in CapturingHandler(messages: messages) }
        let clock = ManualClock(step: .microseconds(1500))
        let middleware = RequestLogMiddleware(logger: logger, clock: clock)
        _ = try await middleware.handle(makeRequest(.get, "/items?x=1"), next: RecordingNext().next)
        #expect(messages.value == ["info GET /items 200 1.5ms"])
    }

    @Test("errors are logged with their status and rethrown")
    func logsErrors() async throws {
        let messages = LockedBox<[String]>([])
        let logger = Logger(label: "test") { _ in CapturingHandler(messages: messages) }
        let middleware = RequestLogMiddleware(logger: logger, level: .notice, clock: ManualClock(step: .milliseconds(2)))
        await #expect(throws: HTTPError.self) {
            try await middleware.handle(makeRequest(.post, "/x")) { _ in throw HTTPError(.conflict) }
        }
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await middleware.handle(makeRequest(.delete, "/y")) { _ in throw Boom() }
        }
        #expect(messages.value == ["notice POST /x 409 2.0ms", "notice DELETE /y 500 2.0ms"])
    }
}

/// A clock that moves forward by `step` every time it is read.
struct ManualClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    let step: Duration
    private let reads = LockedBox(0)

    init(step: Duration) { self.step = step }

    var now: Instant {
        let count = reads.value
        reads.value = count + 1
        return Instant(offset: step * count)
    }

    var minimumResolution: Duration { .nanoseconds(1) }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}
