import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import HTTPCore

/// A client that pipelines requests and never reads the answers (found by the soak's slow-client
/// scenario: the server kept reading and queued answers without bound, ~18 KB per 50-byte request).
struct ServerSlowReaderTests {
    @Test func pipelinedRequestsOfANonReadingClientStallAndTheConnectionIsClosed() async throws {
        let answered = NIOLockedValueBox(0)
        var app = App()
        app.get("/big") { _ in
            answered.withLockedValue { $0 += 1 }
            return Response(body: .bytes(ByteBuffer(repeating: UInt8(ascii: "b"), count: 256 * 1024)))
        }
        try await withTestServer(app) { _, port in
            let client = try await RawClient.connect(port: port, autoRead: false)
            let requests = 400  // 100 MiB of answers if they were all queued
            try await client.send(String(repeating: "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", count: requests))
            // Answers stop once the socket buffers are full: wait for a plateau.
            let deadline = ContinuousClock.now + .seconds(20)
            while answered.withLockedValue({ $0 }) == 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            var previous = -1
            var current = answered.withLockedValue { $0 }
            while current != previous && ContinuousClock.now < deadline {
                previous = current
                try await Task.sleep(for: .milliseconds(300))
                current = answered.withLockedValue { $0 }
            }
            #expect(current > 0)
            #expect(current < requests / 2, "\(current) of \(requests) answers queued for a client that reads none")
            // The header-read timeout (2 s here) then answers 408 and closes; linger is 2 s more.
            #expect(try await client.waitForClose(timeout: .seconds(10)))
        }
    }

    @Test func aNonReadingClientThatKeepsSendingIsNotReadFromAndIsClosed() async throws {
        let answered = NIOLockedValueBox(0)
        var app = App()
        app.get("/big") { _ in
            answered.withLockedValue { $0 += 1 }
            return Response(body: .bytes(ByteBuffer(repeating: UInt8(ascii: "b"), count: 16 * 1024)))
        }
        try await withTestServer(app) { _, port in
            let client = try await RawClient.connect(port: port, autoRead: false)
            let burst = String(repeating: "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", count: 50)
            var bursts = 0
            let sending = ContinuousClock.now
            // Keep sending for 1.5 s (within the 2 s timeouts), without waiting for a write
            // that can no longer complete once the server stops reading.
            while ContinuousClock.now - sending < .milliseconds(1_500) {
                _ = Task { try? await client.send(burst) }
                bursts += 1
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(300))
            let current = answered.withLockedValue { $0 }
            #expect(current < bursts * 50 / 2, "\(current) of \(bursts * 50) sent requests answered")
            #expect(try await client.waitForClose(timeout: .seconds(10)))
        }
    }
}
