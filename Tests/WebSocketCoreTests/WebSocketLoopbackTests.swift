import HTTPCore
import NIOCore
import NIOPosix
import Testing
@testable import WebSocketCore

/// The async `WebSocket` API over real loopback TCP: the server side is installed exactly as the
/// upgrade hook does it (after a 101), the client side is raw frames.
@Suite("WebSocket over loopback")
struct WebSocketLoopbackTests {
    typealias ClientChannel = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    static let upgradeHead = HTTPRequestHead(method: .get, target: "/ws", headers: [
        "Host": "localhost", "Upgrade": "websocket", "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
    ])

    /// Starts a server running `handler` for every connection, connects a raw client and runs
    /// `body` with it.
    func withConnection(
        handler: @escaping @Sendable (WebSocket) async throws -> Void,
        _ body: (ClientChannel, NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void
    ) async throws {
        let upgrader = WebSocketUpgrader(configuration: .init(autoPing: .disabled, closeTimeout: .seconds(2)), handler: handler)
        try await Self.serve(upgrader, body)
    }

    /// Accepts the upgrade `upgrader` answers to `upgradeHead` on a loopback server (installed as the
    /// upgrade hook does after a 101), connects a raw client and runs `body` with it.
    static func serve(
        _ upgrader: WebSocketUpgrader,
        _ body: (ClientChannel, NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void
    ) async throws {
        let response = try upgrader.response(for: Request(head: upgradeHead))
        #expect(response.status == .switchingProtocols)
        let upgrade = try #require(response.upgrade)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in upgrade.configure(channel) }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.localAddress!.port!) { channel in
                channel.eventLoop.makeCompletedFuture { try ClientChannel(wrappingChannelSynchronously: channel) }
            }
        try await client.executeThenClose { inbound, outbound in
            try await body(client, inbound.makeAsyncIterator(), outbound)
        }
        try await server.close()
    }

    /// Reads until one whole frame (server to client, unmasked) is available.
    static func readFrame(
        _ iterator: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, decoder: inout WebSocketFrameDecoder
    ) async throws -> WebSocketFrame? {
        while true {
            if let frame = try decoder.nextFrame() { return frame }
            guard let bytes = try await iterator.next() else { return nil }
            decoder.append(bytes)
        }
    }

    @Test("an echo handler echoes text and binary, and the peer's close ends the socket")
    func echoAndPeerClose() async throws {
        let (closes, continuation) = AsyncStream.makeStream(of: WebSocketCloseFrame.self)
        try await withConnection(handler: { socket in
            for try await message in socket.messages { try await socket.send(message) }
            continuation.yield(await socket.closed)
        }) { _, inbound, outbound in
            var inbound = inbound
            var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
            try await outbound.write(ByteBuffer(bytes: clientFrame(.text, "héllo") + clientFrame(.binary, [1, 2, 3])))
            let big = (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }
            try await outbound.write(ByteBuffer(bytes: clientFrame(.binary, big)))
            #expect(try await Self.readFrame(&inbound, decoder: &decoder) == WebSocketFrame(opcode: .text, payload: ByteBuffer(string: "héllo")))
            #expect(try await Self.readFrame(&inbound, decoder: &decoder) == WebSocketFrame(opcode: .binary, payload: ByteBuffer(bytes: [1, 2, 3])))
            #expect(try await Self.readFrame(&inbound, decoder: &decoder)?.payload == ByteBuffer(bytes: big))
            try await outbound.write(ByteBuffer(bytes: clientFrame(.close, [0x03, 0xE8])))
            let reply = try #require(try await Self.readFrame(&inbound, decoder: &decoder))
            #expect(reply.opcode == .close)
            #expect(try WebSocketCloseFrame(payload: reply.payload).code == .normalClosure)
            #expect(try await Self.readFrame(&inbound, decoder: &decoder) == nil)
        }
        var iterator = closes.makeAsyncIterator()
        #expect(await iterator.next() == WebSocketCloseFrame(code: .normalClosure))
    }

    @Test("close(code:) runs the close handshake and returns the peer's answer")
    func serverInitiatedClose() async throws {
        let (closes, continuation) = AsyncStream.makeStream(of: WebSocketCloseFrame.self)
        try await withConnection(handler: { socket in
            try await socket.send(text: "bye soon")
            continuation.yield(await socket.close(code: .goingAway, reason: "maintenance"))
        }) { _, inbound, outbound in
            var inbound = inbound
            var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
            #expect(try await Self.readFrame(&inbound, decoder: &decoder)?.opcode == .text)
            let close = try #require(try await Self.readFrame(&inbound, decoder: &decoder))
            #expect(try WebSocketCloseFrame(payload: close.payload) == WebSocketCloseFrame(code: .goingAway, reason: "maintenance"))
            try await outbound.write(ByteBuffer(bytes: clientFrame(.close, [0x03, 0xE9])))
            #expect(try await Self.readFrame(&inbound, decoder: &decoder) == nil)
        }
        var iterator = closes.makeAsyncIterator()
        #expect(await iterator.next()?.code == .goingAway)
    }

    @Test("a protocol error closes with 1002 and ends the message sequence")
    func protocolErrorEndsMessages() async throws {
        let (results, continuation) = AsyncStream.makeStream(of: (Int, WebSocketCloseFrame).self)
        try await withConnection(handler: { socket in
            var count = 0
            do { for try await _ in socket.messages { count += 1 } } catch {}
            continuation.yield((count, await socket.closed))
        }) { _, inbound, outbound in
            var inbound = inbound
            var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
            try await outbound.write(ByteBuffer(bytes: clientFrame(.text, "one") + clientFrame(.continuation, "stray")))
            let close = try #require(try await Self.readFrame(&inbound, decoder: &decoder))
            #expect(try WebSocketCloseFrame(payload: close.payload).code == .protocolError)
        }
        var iterator = results.makeAsyncIterator()
        let result = try #require(await iterator.next())
        #expect(result.0 == 1)
        #expect(result.1.code == .protocolError)
    }
}
