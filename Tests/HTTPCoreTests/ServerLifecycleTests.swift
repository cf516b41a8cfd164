import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Testing

@testable import HTTPCore

@Suite("Server lifecycle")
struct ServerLifecycleTests {
    static func makeServer(started: @escaping @Sendable () -> Void = {}) -> HTTPServer {
        HTTPServer(
            responder: ServerTestApp.make(started: started),
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, shutdownTimeout: .seconds(2)),
            logger: Logger(label: "test.lifecycle"))
    }

    @Test func serviceGroupRunsAndDrainsOnGracefulShutdown() async throws {
        let started = NIOLockedValueBox(false)
        let server = Self.makeServer { started.withLockedValue { $0 = true } }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [.init(service: server)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var port: Int?
            while port == nil {
                port = server.localAddress?.port
                try await Task.sleep(for: .milliseconds(5))
            }
            let client = try await RawClient.connect(port: try #require(port))
            try await client.send("GET /delay/200 HTTP/1.1\r\nHost: x\r\n\r\n")
            while !started.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            await group.triggerGracefulShutdown()
            let response = try #require(try await client.readResponse())
            #expect(response.body == "200")
            #expect(try await client.waitForClose())
            try await tasks.waitForAll()
        }
        #expect(server.localAddress == nil)
    }

    @Test func cancellationStopsRun() async throws {
        let server = Self.makeServer()
        let run = Task { try await server.run() }
        while server.localAddress == nil { try await Task.sleep(for: .milliseconds(5)) }
        run.cancel()
        try await run.value
        #expect(server.localAddress == nil)
    }

    @Test func shutdownBeforeStartStopsForGood() async throws {
        let server = Self.makeServer()
        await server.shutdown()
        await #expect(throws: HTTPServerError.self) { try await server.start() }
        #expect(server.localAddress == nil)
    }

    @Test func startTwiceFails() async throws {
        let server = Self.makeServer()
        try await server.start()
        await #expect(throws: HTTPServerError.self) { try await server.start() }
        await server.shutdown()
    }
}
