import HTTPCore
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing
@testable import WebSocketCore

/// The callback-driven WebSocket (`WebSocketUpgrader(configuration:open:)`) over real loopback
/// TCP: the server side is installed exactly as the upgrade hook does it (after a 101), the
/// client side is raw frames.
@Suite("WebSocket callbacks over loopback")
struct WebSocketCallbackTests {
    typealias ClientChannel = WebSocketLoopbackTests.ClientChannel

    /// What the server side saw, in order.
    enum Seen: Equatable, Sendable {
        case opened
        case message(WebSocketMessage)
        case closed(WebSocketCloseFrame)
    }

    /// Starts a server serving every connection with the callbacks `open` returns, connects a raw
    /// client and runs `body` with it.
    func withConnection(
        open: @escaping @Sendable (WebSocketWriter) -> WebSocketCallbacks,
        _ body: (NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void
    ) async throws {
        let upgrader = WebSocketUpgrader(configuration: .init(autoPing: .disabled, closeTimeout: .seconds(2)), open: open)
        try await WebSocketLoopbackTests.serve(upgrader) { _, inbound, outbound in try await body(inbound, outbound) }
    }

    @Test("open may write at once; messages arrive in order on the event loop; the peer's close ends it once")
    func echoAndPeerClose() async throws {
        let (seen, sink) = AsyncStream.makeStream(of: Seen.self)
        try await withConnection(open: { writer in
            sink.yield(.opened)
            writer.enqueue(.text("welcome"))
            let loop = writer.eventLoop
            return WebSocketCallbacks(
                onMessage: { message in
                    #expect(loop.inEventLoop)
                    sink.yield(.message(message))
                    writer.enqueue(message)
                },
                onClose: { frame in
                    #expect(loop.inEventLoop)
                    sink.yield(.closed(frame))
                    sink.finish()
                })
        }) { inbound, outbound in
            var inbound = inbound
            var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
            #expect(try await WebSocketLoopbackTests.readFrame(&inbound, decoder: &decoder)
                == WebSocketFrame(opcode: .text, payload: ByteBuffer(string: "welcome")))
            try await outbound.write(ByteBuffer(bytes: clientFrame(.text, "héllo") + clientFrame(.binary, [1, 2, 3])))
            #expect(try await WebSocketLoopbackTests.readFrame(&inbound, decoder: &decoder)
                == WebSocketFrame(opcode: .text, payload: ByteBuffer(string: "héllo")))
            #expect(try await WebSocketLoopbackTests.readFrame(&inbound, decoder: &decoder)
                == WebSocketFrame(opcode: .binary, payload: ByteBuffer(bytes: [1, 2, 3])))
            try await outbound.write(ByteBuffer(bytes: clientFrame(.close, [0x03, 0xE8])))
            let reply = try #require(try await WebSocketLoopbackTests.readFrame(&inbound, decoder: &decoder))
            #expect(reply.opcode == .close)
            #expect(try await WebSocketLoopbackTests.readFrame(&inbound, decoder: &decoder) == nil)
        }
        var all: [Seen] = []
        for await event in seen { all.append(event) }
        #expect(all == [
            .opened, .message(.text("héllo")), .message(.binary(ByteBuffer(bytes: [1, 2, 3]))),
            .closed(WebSocketCloseFrame(code: .normalClosure)),
        ])
    }

    @Test("enqueueClose runs the close handshake; onClose gets the peer's answer")
    func serverInitiatedClose() async throws {
        let (closes, sink) = AsyncStream.makeStream(of: WebSocketCloseFrame.self)
        try await withConnection(open: { writer in
            WebSocketCallbacks(
                onMessage: { _ in writer.enqueueClose(code: .goingAway, reason: "maintenance") },
                onClose: { frame in sink.yield(frame) })
        }) { inbound, outbound in
            var inbound = inbound
            var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
            try await outbound.write(ByteBuffer(bytes: clientFrame(.text, "bye?")))
            let close = try #require(try await WebSocketLoopbackTests.readFrame(&inbound, decoder: &decoder))
            #expect(try WebSocketCloseFrame(payload: close.payload)
                == WebSocketCloseFrame(code: .goingAway, reason: "maintenance"))
            try await outbound.write(ByteBuffer(bytes: clientFrame(.close, [0x03, 0xE9])))
            #expect(try await WebSocketLoopbackTests.readFrame(&inbound, decoder: &decoder) == nil)
        }
        var iterator = closes.makeAsyncIterator()
        #expect(await iterator.next()?.code == .goingAway)
    }

    /// Closes the channel when something is written through it, as a socket write that finds
    /// the peer gone does.
    final class CloseOnWrite: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            promise?.fail(ChannelError.ioOnClosedChannel)
            context.close(promise: nil)
        }
    }

    /// The application writes while it holds its own lock; when such a write closes the
    /// connection, `onClose` must not run inside it (it would take the same lock).
    @Test("onClose never runs inside a write the application is making")
    func closeIsNotReentrant() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: CloseOnWrite(), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let writing = NIOLockedValueBox(false)
        let closes = NIOLockedValueBox([(frame: WebSocketCloseFrame, duringWrite: Bool)]())
        try WebSocketUpgrader.install(
            on: channel, configuration: .init(autoPing: .disabled), compression: nil
        ) { writer in
            WebSocketCallbacks(
                onMessage: { _ in
                    writing.withLockedValue { $0 = true }
                    writer.enqueue(.text("answer"))
                    writing.withLockedValue { $0 = false }
                },
                onClose: { frame in
                    let duringWrite = writing.withLockedValue { $0 }
                    closes.withLockedValue { $0.append((frame, duringWrite)) }
                })
        }
        try channel.writeInbound(ByteBuffer(bytes: clientFrame(.text, "question")))
        #expect(!channel.isActive)
        loop.run()
        let seen = closes.withLockedValue { $0 }
        #expect(seen.count == 1)
        #expect(seen.first?.frame.code == .abnormalClosure)
        #expect(seen.first?.duringWrite == false)
    }

    /// The HTTP server allows half-closure, so a peer that shuts down its side of TCP without a
    /// close frame is reported as `inputClosed`, not as the end of the channel.
    @Test("a peer that half-closes TCP without a close frame ends the connection with 1006")
    func halfCloseEndsTheConnection() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let closes = NIOLockedValueBox([WebSocketCloseFrame]())
        try WebSocketUpgrader.install(on: channel, configuration: .init(autoPing: .disabled), compression: nil) { _ in
            WebSocketCallbacks(onMessage: { _ in }, onClose: { frame in closes.withLockedValue { $0.append(frame) } })
        }
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!channel.isActive)
        loop.run()
        #expect(closes.withLockedValue { $0 } == [WebSocketCloseFrame(code: .abnormalClosure)])
    }

    @Test("a protocol error closes with 1002 after the messages before it")
    func protocolError() async throws {
        let (seen, sink) = AsyncStream.makeStream(of: Seen.self)
        try await withConnection(open: { _ in
            WebSocketCallbacks(
                onMessage: { sink.yield(.message($0)) },
                onClose: { frame in
                    sink.yield(.closed(frame))
                    sink.finish()
                })
        }) { inbound, outbound in
            var inbound = inbound
            var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
            try await outbound.write(ByteBuffer(bytes: clientFrame(.text, "one") + clientFrame(.continuation, "stray")))
            let close = try #require(try await WebSocketLoopbackTests.readFrame(&inbound, decoder: &decoder))
            #expect(try WebSocketCloseFrame(payload: close.payload).code == .protocolError)
        }
        var all: [Seen] = []
        for await event in seen { all.append(event) }
        #expect(all.count == 2)
        #expect(all.first == .message(.text("one")))
        if case .closed(let frame)? = all.last { #expect(frame.code == .protocolError) } else { Issue.record("no close") }
    }
}
