import NIOConcurrencyHelpers
import Testing

@testable import HTTPCore

@Suite("Server limits and timeouts", .serialized)
struct ServerLimitsTests {
    static func smallLimits(_ configuration: inout HTTPServerConfiguration) {
        configuration.parser = HTTPParserConfiguration(
            maxRequestLineLength: 256, maxHeaderSectionSize: 1024, maxHeaderCount: 10, maxBodySize: 1024)
    }

    static func shortTimeouts(_ configuration: inout HTTPServerConfiguration) {
        configuration.headerReadTimeout = .milliseconds(300)
        configuration.idleTimeout = .milliseconds(300)
    }

    @Test(arguments: [
        ("GET /" + String(repeating: "a", count: 300) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\n" + (0..<20).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
        ("GET / HTTP/1.1\r\nX-Big: " + String(repeating: "b", count: 2000) + "\r\n\r\n", 431),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "c", count: 5000), 413),
        ("GARBAGE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
    ])
    func limitIsAnsweredAndConnectionClosed(request: String, status: Int) async throws {
        try await withTestServer(ServerTestApp.make(), configure: Self.smallLimits) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send(request)
            let response = try #require(try await client.readResponse())
            #expect(response.code == status)
            #expect(response.header("Connection") == "close")
            #expect(response.body.hasPrefix(#"{"error":""#))
            #expect(try await client.waitForClose())
        }
    }

    @Test func slowHeadIsAnswered408AndClosed() async throws {
        try await withTestServer(ServerTestApp.make(), configure: Self.shortTimeouts) { _, port in
            let client = try await RawClient.connect(port: port)
            let start = ContinuousClock.now
            try await client.send("GET /hello HTTP/1.1\r\nHost: x\r\n")
            try await Task.sleep(for: .milliseconds(100))
            try? await client.send("X-Slow: 1\r\n")
            let response = try #require(try await client.readResponse())
            #expect(response.code == 408)
            #expect(try await client.waitForClose())
            #expect(ContinuousClock.now - start < .milliseconds(2000))
        }
    }

    @Test func stalledBodyIsAnswered408AndClosed() async throws {
        try await withTestServer(ServerTestApp.make(), configure: Self.shortTimeouts) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            let response = try #require(try await client.readResponse())
            #expect(response.code == 408)
            #expect(try await client.waitForClose())
        }
    }

    @Test func idleConnectionIsClosedSilently() async throws {
        try await withTestServer(ServerTestApp.make(), configure: Self.shortTimeouts) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try #require(try await client.readResponse())
            let start = ContinuousClock.now
            #expect(try await client.waitForClose())
            #expect(ContinuousClock.now - start < .milliseconds(1000))
            #expect(client.pendingText == "")
        }
    }

    @Test func silentNewConnectionIsClosed() async throws {
        try await withTestServer(ServerTestApp.make(), configure: Self.shortTimeouts) { _, port in
            let client = try await RawClient.connect(port: port)
            #expect(try await client.waitForClose())
            #expect(client.pendingText == "")
        }
    }

    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        try await withTestServer(ServerTestApp.make(), configure: { $0.maxConnections = 1 }) { _, port in
            let first = try await RawClient.connect(port: port)
            try await first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try #require(try await first.readResponse())
            let second = try await RawClient.connect(port: port)
            #expect(try await second.waitForClose())
            try await first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await first.readResponse()?.code == 200)
        }
    }

    @Test func gracefulShutdownDrainsInFlightRequest() async throws {
        let started = NIOLockedValueBox(false)
        try await withTestServer(ServerTestApp.make { started.withLockedValue { $0 = true } }) { server, port in
            let busy = try await RawClient.connect(port: port)
            let idle = try await RawClient.connect(port: port)
            try await busy.send("GET /delay/500 HTTP/1.1\r\nHost: x\r\n\r\n")
            while !started.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            let shutdown = Task { await server.shutdown() }
            #expect(try await idle.waitForClose())
            let response = try #require(try await busy.readResponse())
            #expect(response.code == 200)
            #expect(response.body == "500")
            #expect(response.header("Connection") == "close")
            #expect(try await busy.waitForClose())
            await shutdown.value
            #expect(server.connectionCount == 0)
            await #expect(throws: (any Error).self) { try await RawClient.connect(port: port) }
        }
    }
}
