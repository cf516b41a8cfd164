import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import HTTPCore

/// Runs `body` against an `HTTPServer` serving `app` on an ephemeral port, then shuts the server
/// down. The idle and header-read timeouts are generous (15 s) so that a test delayed by a loaded
/// machine between connecting and sending is not closed under it; tests of the timeouts set
/// short ones through `configure`.
func withTestServer<T>(
    _ app: App,
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    _ body: (HTTPServer, Int) async throws -> T
) async throws -> T {
    var configuration = HTTPServerConfiguration(
        host: "127.0.0.1", port: 0, idleTimeout: .seconds(15), headerReadTimeout: .seconds(15),
        shutdownTimeout: .seconds(2))
    configure(&configuration)
    let server = HTTPServer(responder: app, configuration: configuration, logger: Logger(label: "test.server"))
    try await server.start()
    let port = try #require(server.localAddress?.port)
    do {
        let result = try await body(server, port)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// Waits until `counter` has moved from 0 and then stopped moving for 750 ms (a plateau rather
/// than a fixed time, so a loaded machine does not make a test flaky); returns its value there.
/// Records an issue when it still moves at `limit`.
func plateau(of counter: NIOLockedValueBox<Int>, within limit: Duration) async throws -> Int {
    let deadline = ContinuousClock.now + limit
    while counter.withLockedValue({ $0 }) == 0 && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
    }
    var previous = -1
    var current = counter.withLockedValue { $0 }
    while current != previous && ContinuousClock.now < deadline {
        previous = current
        try await Task.sleep(for: .milliseconds(750))
        current = counter.withLockedValue { $0 }
    }
    #expect(current == previous, "still moving after \(limit)")
    return current
}

/// A raw TCP client that collects every byte the server sends, for asserting on the wire format.
final class RawClient: Sendable {
    private struct Received {
        var bytes = ByteBuffer()
        var closed = false
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: NIOLockedValueBox<Received>

        init(received: NIOLockedValueBox<Received>) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            received.withLockedValue { $0.bytes.writeBuffer(&bytes) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            received.withLockedValue { $0.closed = true }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    private let channel: any Channel
    private let received: NIOLockedValueBox<Received>

    private init(channel: any Channel, received: NIOLockedValueBox<Received>) {
        self.channel = channel
        self.received = received
    }

    /// Connects to the test server; with `autoRead` false nothing is read from the socket (a
    /// client that does not read its responses).
    static func connect(port: Int, autoRead: Bool = true) async throws -> RawClient {
        let received = NIOLockedValueBox(Received())
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: autoRead)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawClient(channel: channel, received: received)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Shuts the client's sending side down (the server sees end of input).
    func closeOutput() async throws {
        try await channel.close(mode: .output)
    }

    func close() async {
        try? await channel.close()
    }

    /// Waits until the server closed the connection; false after `timeout`.
    func waitForClose(timeout: Duration = .seconds(10)) async throws -> Bool {
        try await poll(timeout: timeout) { $0.closed ? true : nil } ?? false
    }

    /// Everything received and not yet consumed by `readResponse`.
    var pendingText: String { received.withLockedValue { String(buffer: $0.bytes) } }

    /// Waits for `count` bytes of raw data and consumes them.
    func readRaw(count: Int, timeout: Duration = .seconds(10)) async throws -> String? {
        try await poll(timeout: timeout) { received in
            guard received.bytes.readableBytes >= count else { return nil }
            return received.bytes.readString(length: count)
        }
    }

    /// Waits for one complete response and consumes it; nil after `timeout`.
    func readResponse(forHead: Bool = false, timeout: Duration = .seconds(10)) async throws -> TestResponse? {
        try await poll(timeout: timeout) { received in
            var view = received.bytes
            guard let response = TestResponse.parse(&view, forHead: forHead, closed: received.closed) else {
                return nil
            }
            received.bytes = view
            return response
        }
    }

    /// Re-checks every 5 ms until `check` gives a value, the connection is closed, or `timeout`.
    private func poll<T>(timeout: Duration, _ check: (inout Received) -> T?) async throws -> T? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (value, closed) = received.withLockedValue { ( check(&$0), $0.closed) }
            if let value { return value }
            if closed { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
        return received.withLockedValue { check(&$0) }
    }
}

/// One response as read off the wire.
struct TestResponse {
    var code: Int
    var headers: [(String, String)]
    var body: String
    var wasChunked: Bool

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Parses one response from the front of `buffer` (consuming it), or returns nil when incomplete.
    static func parse(_ buffer: inout ByteBuffer, forHead: Bool, closed: Bool) -> TestResponse? {
        let text = String(buffer: buffer)
        guard let headEnd = text.utf8.firstRange(of: "\r\n\r\n".utf8) else { return nil }
        let headText = String(text[..<headEnd.lowerBound])
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let code = Int(statusLine[1]) else { return nil }
        let headers = lines.map { line -> (String, String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = TestResponse(code: code, headers: headers, body: "", wasChunked: false)
        let headLength = text.utf8.distance(from: text.utf8.startIndex, to: headEnd.upperBound)
        var rest = buffer.getSlice(at: buffer.readerIndex + headLength, length: buffer.readableBytes - headLength)!
        if forHead || code < 200 || code == 204 || code == 304 {
            buffer.moveReaderIndex(forwardBy: headLength)
            return response
        }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            guard let body = rest.readString(length: length) else { return nil }
            response.body = body
            buffer.moveReaderIndex(forwardBy: headLength + length)
            return response
        }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            response.wasChunked = true
            let start = rest.readerIndex
            while true {
                let view = String(buffer: rest)
                guard let lineEnd = view.utf8.firstRange(of: "\r\n".utf8) else { return nil }
                let sizeText = String(view[..<lineEnd.lowerBound])
                guard let size = Int(sizeText, radix: 16) else { return nil }
                rest.moveReaderIndex(forwardBy: sizeText.utf8.count + 2)
                if size == 0 {
                    guard rest.readString(length: 2) == "\r\n" else { return nil }
                    break
                }
                guard let chunk = rest.readString(length: size), rest.readString(length: 2) == "\r\n" else {
                    return nil
                }
                response.body += chunk
            }
            buffer.moveReaderIndex(forwardBy: headLength + rest.readerIndex - start)
            return response
        }
        guard closed else { return nil }
        response.body = String(buffer: rest)
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return response
    }
}
