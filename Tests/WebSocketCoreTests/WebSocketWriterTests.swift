import HTTPCore
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing
@testable import WebSocketCore

/// `WebSocketWriter` of a callback-driven socket: on the event loop it hands messages straight to
/// the connection handler; the bytes, their order and what happens after the end must be what
/// the pipeline path gives.
@Suite("WebSocketWriter")
struct WebSocketWriterTests {
    /// A callback-driven socket installed on an embedded channel, with its writer.
    static func installed(
        configuration: WebSocketConfiguration = .init(autoPing: .disabled),
        compression: PerMessageDeflateParameters? = nil
    ) throws -> (EmbeddedChannel, WebSocketWriter) {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let writer = NIOLockedValueBox<WebSocketWriter?>(nil)
        try WebSocketUpgrader.install(on: channel, configuration: configuration, compression: compression) { opened in
            writer.withLockedValue { $0 = opened }
            return WebSocketCallbacks(onMessage: { _ in }, onClose: { _ in })
        }
        return (channel, try #require(writer.withLockedValue { $0 }))
    }

    /// Every frame written so far, decoded.
    static func sentFrames(_ channel: EmbeddedChannel) throws -> [WebSocketFrame] {
        var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
        while let bytes = try channel.readOutbound(as: ByteBuffer.self) { decoder.append(bytes) }
        var frames: [WebSocketFrame] = []
        while let frame = try decoder.nextFrame() { frames.append(frame) }
        return frames
    }

    @Test("on the loop, prepared and plain messages and the close go out in order, flushed")
    func directWritesInOrder() throws {
        let (channel, writer) = try Self.installed()
        let prepared = WebSocketPreparedMessage(text: "shared")
        writer.enqueue(prepared)
        writer.enqueue(.binary(ByteBuffer(bytes: [1, 2])))
        writer.enqueue(prepared)
        writer.enqueueClose(code: .goingAway, reason: "bye")
        let frames = try Self.sentFrames(channel)
        #expect(frames.map(\.opcode) == [.text, .binary, .text, .close])
        #expect(frames[0].payload == ByteBuffer(string: "shared"))
        #expect(frames[1].payload == ByteBuffer(bytes: [1, 2]))
        #expect(try WebSocketCloseFrame(payload: frames[3].payload) == WebSocketCloseFrame(code: .goingAway, reason: "bye"))
    }

    @Test("the prepared frame's bytes are written as they are: shared, not copied")
    func preparedBytesShared() throws {
        let (channel, writer) = try Self.installed()
        let prepared = WebSocketPreparedMessage(text: "hello")
        writer.enqueue(prepared)
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(written == prepared.frame)
        written.withUnsafeReadableBytes { sent in
            prepared.frame.withUnsafeReadableBytes { frame in #expect(sent.baseAddress == frame.baseAddress) }
        }
    }

    @Test("with permessage-deflate the direct path compresses as the pipeline does")
    func directCompresses() throws {
        let parameters = PerMessageDeflateParameters.negotiate(
            offers: [WebSocketExtensionOffer(name: "permessage-deflate")], configuration: .init())
        let (channel, writer) = try Self.installed(
            configuration: .init(compression: .init(), autoPing: .disabled), compression: parameters)
        let text = String(repeating: "broadcast ", count: 300)
        writer.enqueue(WebSocketPreparedMessage(text: text))
        let frames = try Self.sentFrames(channel)
        #expect(frames.map(\.rsv1) == [true])
        var output = ByteBuffer()
        try ZlibDecompressor().decompress(frames[0].payload, isFinal: true, into: &output, limit: 1 << 20)
        #expect(String(buffer: output) == text)
    }

    @Test("after the close handshake started, and once the handler is gone, writes are dropped")
    func droppedAfterEnd() throws {
        let (channel, writer) = try Self.installed()
        writer.enqueueClose()
        writer.enqueue(WebSocketPreparedMessage(text: "late"))
        writer.enqueue(.text("later"))
        #expect(try Self.sentFrames(channel).map(\.opcode) == [.close])
        let handler = try channel.pipeline.syncOperations.handler(type: WebSocketConnectionHandler.self)
        try channel.pipeline.syncOperations.removeHandler(handler).wait()
        writer.enqueue(WebSocketPreparedMessage(text: "gone"))
        writer.enqueue(.text("gone"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    @Test("writes queued from other threads and then on the loop keep their order", .timeLimit(.minutes(1)))
    func offLoopThenOnLoop() async throws {
        let writers = NIOLockedValueBox<[WebSocketWriter]>([])
        try await WebSocketCallbackTests().withConnection(open: { writer in
            writers.withLockedValue { $0.append(writer) }
            return WebSocketCallbacks(onMessage: { _ in }, onClose: { _ in })
        }) { inbound, _ in
            var inbound = inbound
            var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)
            let writer = try await Self.firstWriter(writers)
            let prepared = WebSocketPreparedMessage(text: "on loop")
            var expected: [String] = []
            for round in 0..<50 {
                writer.enqueue(.text("off loop \(round)"))  // a hop to the loop
                writer.eventLoop.execute { writer.enqueue(prepared) }  // queued after that hop
                expected += ["off loop \(round)", "on loop"]
            }
            var received: [String] = []
            while received.count < expected.count {
                let frame = try #require(try await WebSocketLoopbackTests.readFrame(&inbound, decoder: &decoder))
                received.append(String(buffer: frame.payload))
            }
            #expect(received == expected)
        }
    }

    /// The writer the server side opened, once the connection is installed.
    static func firstWriter(_ writers: NIOLockedValueBox<[WebSocketWriter]>) async throws -> WebSocketWriter {
        for _ in 0..<500 {
            if let writer = writers.withLockedValue({ $0.first }) { return writer }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw WebSocketClosedError()
    }
}
