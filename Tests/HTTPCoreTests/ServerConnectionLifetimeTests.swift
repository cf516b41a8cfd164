import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import HTTPCore

/// `Request.connection`: a handler learns that its client went away while it was answering.
@Suite("Server: connection lifetime of in-flight requests")
struct ServerConnectionLifetimeTests {
    /// What the `/hold` route saw: that it started holding, and that the client went away.
    private final class Probe: Sendable {
        let started: AsyncStream<Void>
        let startedSink: AsyncStream<Void>.Continuation
        let gone = NIOLockedValueBox(0)

        init() { (started, startedSink) = AsyncStream.makeStream(of: Void.self) }

        func waitUntilStarted() async {
            for await _ in started { return }
        }

        /// Waits up to 10 s for `count` close notifications.
        func waitForGone(_ count: Int = 1) async throws -> Bool {
            for _ in 0..<1_000 {
                if gone.withLockedValue({ $0 }) >= count { return true }
                try await Task.sleep(for: .milliseconds(10))
            }
            return false
        }
    }

    /// `/hold` waits (up to 10 s) until its client goes away; `/quick` registers a close handler
    /// and answers at once.
    private static func app(_ probe: Probe) -> App {
        var app = App()
        app.get("/hold") { request in
            let (gone, sink) = AsyncStream.makeStream(of: Void.self)
            request.connection?.onClose {
                probe.gone.withLockedValue { $0 += 1 }
                sink.finish()
            }
            probe.startedSink.yield()
            let waiter = Task { for await _ in gone {} }
            let timeout = Task {
                try? await Task.sleep(for: .seconds(10))
                sink.finish()
            }
            await waiter.value
            timeout.cancel()
            return .text("held")
        }
        app.get("/quick") { request in
            request.connection?.onClose { probe.gone.withLockedValue { $0 += 1 } }
            return .text("quick")
        }
        return app
    }

    @Test func aClosedConnectionIsReportedToTheHandler() async throws {
        let probe = Probe()
        try await withTestServer(Self.app(probe)) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
            await probe.waitUntilStarted()
            await client.close()
            #expect(try await probe.waitForGone())
        }
    }

    @Test func aHalfClosedConnectionIsReportedAndStillAnswered() async throws {
        let probe = Probe()
        try await withTestServer(Self.app(probe)) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
            await probe.waitUntilStarted()
            try await client.closeOutput()
            #expect(try await probe.waitForGone())
            #expect(try await client.readResponse()?.body == "held")
            #expect(try await client.waitForClose())
        }
    }

    @Test func handlersOfAnsweredRequestsAreDropped() async throws {
        let probe = Probe()
        try await withTestServer(Self.app(probe)) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse()?.body == "quick")
            try await client.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
            await probe.waitUntilStarted()
            await client.close()
            #expect(try await probe.waitForGone())
            try await Task.sleep(for: .milliseconds(200))
            #expect(probe.gone.withLockedValue { $0 } == 1)
        }
    }

    @Test func aHandlerAddedAfterTheCloseRunsAtOnce() {
        let lifetime = HTTPConnectionLifetime()
        let calls = NIOLockedValueBox(0)
        lifetime.close()
        #expect(lifetime.isClosed)
        lifetime.onClose { calls.withLockedValue { $0 += 1 } }
        #expect(calls.withLockedValue { $0 } == 1)
        lifetime.close()
        #expect(calls.withLockedValue { $0 } == 1)
    }
}
