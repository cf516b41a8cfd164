import HTTPCore
import NIOCore
import NIOPosix
import SocketIO
import Testing
import WebSocketCore

/// A WebSocket client over loopback TCP made of raw bytes: it sends the handshake, reads the
/// server's answer head, then exchanges frames (masked out, unmasked in) one at a time, so a test
/// decides the order of every step.
final class RawWebSocketClient {
    /// Hands what the server sends to an async stream.
    private final class Reader: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let sink: AsyncStream<ByteBuffer>.Continuation

        init(sink: AsyncStream<ByteBuffer>.Continuation) { self.sink = sink }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { sink.yield(unwrapInboundIn(data)) }
        func channelInactive(context: ChannelHandlerContext) { sink.finish() }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }

    /// The status of the server's answer to the handshake.
    let status: Int
    private let channel: any Channel
    private var inbound: AsyncStream<ByteBuffer>.AsyncIterator
    private var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)

    private init(status: Int, channel: any Channel, inbound: AsyncStream<ByteBuffer>.AsyncIterator, leftover: ByteBuffer) {
        self.status = status
        self.channel = channel
        self.inbound = inbound
        decoder.append(leftover)
    }

    /// Connects to `127.0.0.1:port` and sends a WebSocket handshake for `target`; returns once
    /// the answer's head arrived.
    static func connect(port: Int, target: String) async throws -> RawWebSocketClient {
        let (stream, sink) = AsyncStream.makeStream(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Reader(sink: sink))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string:
            "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
        var iterator = stream.makeAsyncIterator()
        var received = ByteBuffer()
        while true {
            let text = String(buffer: received)
            if let end = text.range(of: "\r\n\r\n") {
                let statusCode = Int(text.split(separator: " ", maxSplits: 2)[1]) ?? 0
                received.moveReaderIndex(forwardBy: text[..<end.upperBound].utf8.count)
                return RawWebSocketClient(status: statusCode, channel: channel, inbound: iterator, leftover: received)
            }
            guard var more = await iterator.next() else {
                throw RawWebSocketClientError(reason: "closed before the handshake answer: \(text)")
            }
            received.writeBuffer(&more)
        }
    }

    /// Sends a text message.
    func send(_ text: String) async throws {
        let frame = WebSocketFrame(fin: true, opcode: .text, payload: ByteBuffer(string: text))
        try await channel.writeAndFlush(WebSocketFrameEncoder.encode(frame, maskingKey: .random()))
    }

    /// The next frame from the server, or nil when the connection ended.
    func nextFrame() async throws -> WebSocketFrame? {
        while true {
            if let frame = try decoder.nextFrame() { return frame }
            guard let bytes = await inbound.next() else { return nil }
            decoder.append(bytes)
        }
    }

    /// The next text message, or nil when a close frame (or the end) came instead.
    func nextText() async throws -> String? {
        guard let frame = try await nextFrame(), frame.opcode == .text else { return nil }
        return String(buffer: frame.payload)
    }

    /// Sends a close frame (1000) and ends the connection.
    func close() async {
        let frame = WebSocketFrame(fin: true, opcode: .close, payload: ByteBuffer(bytes: [0x03, 0xE8]))
        try? await channel.writeAndFlush(WebSocketFrameEncoder.encode(frame, maskingKey: .random()))
        try? await channel.close()
    }
}

/// The raw client's failure.
struct RawWebSocketClientError: Error {
    let reason: String
}
