import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import HTTPCore

@Suite("Server over TCP")
struct ServerTests {
    @Test func keepAliveServesTwoRequestsOnOneConnection() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            for _ in 0..<2 {
                try await client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try #require(try await client.readResponse())
                #expect(response.code == 200)
                #expect(response.body == "hello")
                #expect(response.header("Connection") == nil)
                #expect(response.header("Date") != nil)
            }
            #expect(try await !client.waitForClose(timeout: .milliseconds(50)))
            await client.close()
        }
    }

    @Test func handlersMayRunOnTheGlobalExecutor() async throws {
        try await withTestServer(ServerTestApp.make(), configure: { $0.handlerExecution = .globalExecutor }) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /delay/5 HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse()?.body == "5")
            #expect(try await client.readResponse()?.body == "hello")
        }
    }

    @Test func pipelinedResponsesComeInRequestOrder() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send(
                "GET /delay/120 HTTP/1.1\r\nHost: x\r\n\r\nGET /delay/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /delay/40 HTTP/1.1\r\nHost: x\r\n\r\n")
            var bodies: [String] = []
            for _ in 0..<3 {
                bodies.append(try #require(try await client.readResponse()).body)
            }
            #expect(bodies == ["120", "1", "40"])
            await client.close()
        }
    }

    @Test func halfClosedClientGetsItsPipelinedAnswers() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /delay/50 HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            try await client.closeOutput()
            #expect(try await client.readResponse()?.body == "50")
            #expect(try await client.readResponse()?.body == "hello")
            #expect(try await client.waitForClose())
        }
    }

    @Test func http10KeepAliveIsEchoed() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let first = try #require(try await client.readResponse())
            #expect(first.header("Connection") == "keep-alive")
            try await client.send("GET /hello HTTP/1.0\r\n\r\n")
            let second = try #require(try await client.readResponse())
            #expect(second.header("Connection") == "close")
            #expect(try await client.waitForClose())
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let response = try #require(try await client.readResponse())
            #expect(response.header("Connection") == "close")
            #expect(try await client.waitForClose())
        }
    }

    @Test func unknownPathIsJSON404() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try #require(try await client.readResponse())
            #expect(response.code == 404)
            #expect(response.body == #"{"error":"Not Found"}"#)
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        }
    }

    @Test func thrownErrorsBecomeJSON() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\nGET /forbidden HTTP/1.1\r\nHost: x\r\n\r\n")
            let serverError = try #require(try await client.readResponse())
            #expect(serverError.code == 500)
            #expect(serverError.body == #"{"error":"Internal Server Error"}"#)
            let forbidden = try #require(try await client.readResponse())
            #expect(forbidden.code == 403)
            #expect(forbidden.body == #"{"error":"no way"}"#)
        }
    }

    @Test func headHasLengthButNoBody() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try #require(try await client.readResponse(forHead: true))
            #expect(head.code == 200)
            #expect(head.header("Content-Length") == "5")
            try await client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let get = try #require(try await client.readResponse())
            #expect(get.code == 200)
            #expect(get.body == "hello")
        }
    }

    @Test func postBodyReachesHandler() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
            let response = try #require(try await client.readResponse())
            #expect(response.body == "abcde")
        }
    }

    @Test func expectContinueIsAnsweredBeforeTheBody() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try #require(try await client.readResponse())
            #expect(interim.code == 100)
            try await client.send("hello")
            let response = try #require(try await client.readResponse())
            #expect(response.code == 200)
            #expect(response.body == "hello")
        }
    }

    @Test func streamedBodyIsChunked() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let streamed = try #require(try await client.readResponse())
            #expect(streamed.wasChunked)
            #expect(streamed.body == "one,two,three")
            let next = try #require(try await client.readResponse())
            #expect(next.body == "hello")
        }
    }

    @Test func largeStreamArrivesWhole() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /big-stream HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try #require(try await client.readResponse(timeout: .seconds(10)))
            #expect(response.body.utf8.count == 64 * 64 * 1024)
        }
    }

    @Test func streamWaitsForASlowClient() async throws {
        let produced = NIOLockedValueBox(0)
        var app = App()
        app.get("/firehose") { _ in
            Response(body: .stream { writer in
                let chunk = ByteBuffer(repeating: UInt8(ascii: "z"), count: 64 * 1024)
                for _ in 0..<1024 {
                    try await writer.write(chunk)
                    produced.withLockedValue { $0 += 1 }
                }
            })
        }
        try await withTestServer(app) { _, port in
            let client = try await RawClient.connect(port: port, autoRead: false)
            try await client.send("GET /firehose HTTP/1.1\r\nHost: x\r\n\r\n")
            // The client never reads: production must start, then stall well before the end
            // once the socket buffers are full. Wait for a plateau rather than a fixed time,
            // so a loaded machine does not make the test flaky.
            let current = try await plateau(of: produced, within: .seconds(20))
            #expect(current > 0)
            #expect(current < 1024)
            await client.close()
        }
    }

    /// A client that pipelines requests and never reads the answers must not make the server
    /// answer (and queue) all of them: answering pauses once the socket buffers are full (found
    /// by `make soak`: such clients grew the server by 1.6 GB in 8 s).
    @Test func pipelinedAnswersWaitForAClientThatDoesNotRead() async throws {
        let answered = NIOLockedValueBox(0)
        var app = App()
        let body = ByteBuffer(repeating: UInt8(ascii: "b"), count: 64 * 1024)
        app.get("/big") { _ in
            answered.withLockedValue { $0 += 1 }
            return Response(status: .ok, body: .bytes(body))
        }
        try await withTestServer(app, configure: { $0.headerReadTimeout = .seconds(60) }) { _, port in
            let client = try await RawClient.connect(port: port, autoRead: false)
            let requests = 2_000
            try await client.send(String(repeating: "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", count: requests))
            let current = try await plateau(of: answered, within: .seconds(30))
            #expect(current > 0)
            // Socket buffers on loopback hold at most a few hundred 64 KiB answers.
            #expect(current < requests / 2)
            await client.close()
        }
    }

    /// Pipelined requests wait in the parser only up to a bound: a client that sends 100 MB of
    /// requests and never reads must not make the server read (and buffer) them all (found by
    /// `make soak`: each answered request let another megabyte in, 3 GB for 100 clients).
    @Test func pipelinedRequestsAreNotReadWithoutBound() async throws {
        let answered = NIOLockedValueBox(0)
        var app = App()
        let body = ByteBuffer(repeating: UInt8(ascii: "s"), count: 16 * 1024)
        app.get("/small") { _ in
            // A slow answer (as a file read on the thread pool is): while it is prepared, the
            // server may read on, and must stop once 64 KiB of requests wait.
            try await Task.sleep(for: .milliseconds(10))
            answered.withLockedValue { $0 += 1 }
            return Response(status: .ok, body: .bytes(body))
        }
        try await withTestServer(app, configure: { $0.headerReadTimeout = .seconds(60) }) { _, port in
            let client = try await RawClient.connect(port: port, autoRead: false)
            let request = "GET /small HTTP/1.1\r\nHost: x\r\n\r\n"
            let payload = String(repeating: request, count: 100_000_000 / request.utf8.count)
            let sent = NIOLockedValueBox(false)
            let sender = Task {
                try? await client.send(payload)
                sent.withLockedValue { $0 = true }
            }
            let current = try await plateau(of: answered, within: .seconds(30))
            // Loopback socket buffers hold some MB (at most 32 + 4 here); the rest must be unsent.
            #expect(!sent.withLockedValue { $0 })
            #expect(current > 0)
            await client.close()
            _ = await sender.result
        }
    }

    @Test func upgradeHandsTheConnectionOver() async throws {
        try await withTestServer(ServerTestApp.make()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send(
                "GET /echo-upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nearly bytes")
            let switching = try #require(try await client.readResponse())
            #expect(switching.code == 101)
            #expect(switching.header("Upgrade") == "echo")
            #expect(try await client.readRaw(count: 11) == "early bytes")
            try await client.send("later")
            #expect(try await client.readRaw(count: 5) == "later")
        }
    }
}
