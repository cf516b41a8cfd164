import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
@testable import WebSocketCore

/// The echo path of a callback-driven socket (what websocket-echo-server runs): messages written
/// from `onMessage` while a read is handled share one flush, and reads are held back while the
/// channel cannot take more output.
@Suite("Callback echo path")
struct CallbackEchoPathTests {
    /// Counts the flushes and reads that reach the socket (it sits first in the pipeline).
    final class SocketSideCounter: ChannelOutboundHandler, Sendable {
        typealias OutboundIn = ByteBuffer
        let flushes = NIOLockedValueBox(0)
        let reads = NIOLockedValueBox(0)

        func flush(context: ChannelHandlerContext) {
            flushes.withLockedValue { $0 += 1 }
            context.flush()
        }

        func read(context: ChannelHandlerContext) {
            reads.withLockedValue { $0 += 1 }
            context.read()
        }
    }

    /// An embedded channel serving an echoing callback-driven socket, behind a counter.
    static func echoChannel() throws -> (EmbeddedChannel, SocketSideCounter) {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let counter = SocketSideCounter()
        try channel.pipeline.syncOperations.addHandler(counter, position: .first)
        try WebSocketUpgrader.install(
            on: channel, configuration: .init(autoPing: .disabled), compression: nil
        ) { writer in
            WebSocketCallbacks(onMessage: { writer.enqueue($0) }, onClose: { _ in })
        }
        return (channel, counter)
    }

    @Test("three messages in one read are echoed in order with one flush")
    func oneFlushPerRead() throws {
        let (channel, counter) = try Self.echoChannel()
        let before = counter.flushes.withLockedValue { $0 }
        let bytes = clientFrame(.text, "one") + clientFrame(.binary, [1, 2, 3]) + clientFrame(.text, "three")
        try channel.writeInbound(ByteBuffer(bytes: bytes))
        #expect(counter.flushes.withLockedValue { $0 } == before + 1)
        let frames = try WebSocketWriterTests.sentFrames(channel)
        #expect(frames.map(\.opcode) == [.text, .binary, .text])
        #expect(frames.map(\.payload) == [ByteBuffer(string: "one"), ByteBuffer(bytes: [1, 2, 3]), ByteBuffer(string: "three")])
    }

    @Test("a message written outside a read is flushed at once")
    func flushOutsideRead() throws {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let writer = NIOLockedValueBox<WebSocketWriter?>(nil)
        try WebSocketUpgrader.install(on: channel, configuration: .init(autoPing: .disabled), compression: nil) { opened in
            writer.withLockedValue { $0 = opened }
            return WebSocketCallbacks(onMessage: { _ in }, onClose: { _ in })
        }
        try #require(writer.withLockedValue { $0 }).enqueue(.text("now"))
        #expect(try WebSocketWriterTests.sentFrames(channel).map(\.payload) == [ByteBuffer(string: "now")])
    }

    @Test("while the channel is not writable, reads wait; they resume once it is writable again")
    func readsWaitForWritability() throws {
        let (channel, counter) = try Self.echoChannel()
        let before = counter.reads.withLockedValue { $0 }
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.read()
        #expect(counter.reads.withLockedValue { $0 } == before)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(counter.reads.withLockedValue { $0 } == before + 1)
        channel.read()
        #expect(counter.reads.withLockedValue { $0 } == before + 2)
    }
}
