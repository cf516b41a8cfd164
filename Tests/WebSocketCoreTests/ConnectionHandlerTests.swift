import NIOCore
import NIOEmbedded
import Testing
@testable import WebSocketCore

/// A server connection handler on an EmbeddedChannel, with a client-side decoder for its output.
final class EmbeddedConnection {
    let channel: EmbeddedChannel
    let loop: EmbeddedEventLoop
    let closed: EventLoopFuture<WebSocketCloseFrame>
    private var clientDecoder = WebSocketFrameDecoder(maxFrameSize: 1 << 24, expectsMaskedFrames: false)

    init(configuration: WebSocketConfiguration = .init(autoPing: .disabled), compression: PerMessageDeflateParameters? = nil) throws {
        loop = EmbeddedEventLoop()
        let promise = loop.makePromise(of: WebSocketCloseFrame.self)
        closed = promise.futureResult
        channel = EmbeddedChannel(
            handler: WebSocketConnectionHandler(configuration: configuration, compression: compression, closed: promise),
            loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        closed.assumeIsolated().whenSuccess { self.closeResult = $0 }
    }

    func receive(_ bytes: [UInt8]) throws {
        try channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    /// Frames the server wrote since the last call.
    func sentFrames() throws -> [WebSocketFrame] {
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { clientDecoder.append(buffer) }
        var frames: [WebSocketFrame] = []
        while let frame = try clientDecoder.nextFrame() { frames.append(frame) }
        return frames
    }

    func receivedMessages() throws -> [WebSocketMessage] {
        var messages: [WebSocketMessage] = []
        while let message = try channel.readInbound(as: WebSocketMessage.self) { messages.append(message) }
        return messages
    }

    /// The close frame, once the connection has closed (EmbeddedEventLoop runs callbacks inline).
    private(set) var closeResult: WebSocketCloseFrame?
}

@Suite("Connection handler")
struct ConnectionHandlerTests {
    @Test("messages are delivered and pings answered with the same data")
    func messagesAndPings() throws {
        let connection = try EmbeddedConnection()
        try connection.receive(clientFrame(.text, "hello") + clientFrame(.ping, Array("abc".utf8)) + clientFrame(.binary, [9]))
        #expect(try connection.receivedMessages() == [.text("hello"), .binary(ByteBuffer(bytes: [9]))])
        #expect(try connection.sentFrames() == [WebSocketFrame(opcode: .pong, payload: ByteBuffer(string: "abc"))])
        #expect(connection.channel.isActive)
    }

    @Test("the peer's close is answered with its code, then the connection closes")
    func peerInitiatedClose() throws {
        let connection = try EmbeddedConnection()
        try connection.receive(clientFrame(.close, [0x0F, 0xA0] + Array("done".utf8)))
        let frames = try connection.sentFrames()
        #expect(frames.map(\.opcode) == [.close])
        #expect(try WebSocketCloseFrame(payload: frames[0].payload).code == WebSocketCloseCode(rawValue: 4000))
        #expect(!connection.channel.isActive)
        #expect(connection.closeResult == WebSocketCloseFrame(code: WebSocketCloseCode(rawValue: 4000), reason: "done"))
    }

    @Test("protocol errors send their close code and close", arguments: [
        (clientFrame(.continuation, "x"), WebSocketCloseCode.protocolError),
        ([0x81, 0x00], .protocolError),
        (clientFrame(.text, [0xFF]), .invalidPayloadData),
        (clientFrame(.binary, Array(repeating: 1, count: 2000)), .messageTooBig),
    ])
    func failure(bytes: [UInt8], code: WebSocketCloseCode) throws {
        let connection = try EmbeddedConnection(configuration: .init(maxMessageSize: 1000, autoPing: .disabled))
        try connection.receive(bytes)
        let frames = try connection.sentFrames()
        #expect(frames.map(\.opcode) == [.close])
        #expect(try WebSocketCloseFrame(payload: frames[0].payload).code == code)
        #expect(!connection.channel.isActive)
        #expect(connection.closeResult?.code == code)
        #expect(try connection.receivedMessages().isEmpty)
    }

    @Test("a server-initiated close completes when the peer answers")
    func serverInitiatedClose() throws {
        let connection = try EmbeddedConnection()
        connection.channel.write(WebSocketOutbound.close(WebSocketCloseFrame(code: .goingAway, reason: "bye")), promise: nil)
        #expect(try connection.sentFrames() == [WebSocketFrame(opcode: .close, payload: WebSocketCloseFrame(code: .goingAway, reason: "bye").payload)])
        // Messages after our close are dropped; sends fail.
        try connection.receive(clientFrame(.text, "late"))
        #expect(try connection.receivedMessages().isEmpty)
        #expect(throws: WebSocketClosedError.self) {
            try connection.channel.writeAndFlush(WebSocketOutbound.message(.text("no"))).wait()
        }
        try connection.receive(clientFrame(.close, [0x03, 0xE9]))
        #expect(!connection.channel.isActive)
        #expect(connection.closeResult?.code == .goingAway)
    }

    @Test("a server-initiated close times out when the peer never answers")
    func closeTimeout() throws {
        let connection = try EmbeddedConnection(configuration: .init(autoPing: .disabled, closeTimeout: .seconds(2)))
        connection.channel.write(WebSocketOutbound.close(WebSocketCloseFrame(code: .normalClosure)), promise: nil)
        connection.loop.advanceTime(by: .milliseconds(1900))
        #expect(connection.channel.isActive)
        connection.loop.advanceTime(by: .milliseconds(200))
        #expect(!connection.channel.isActive)
        #expect(connection.closeResult?.code == .abnormalClosure)
    }

    @Test("auto-ping: a silent peer is pinged, then closed with 1001 when it stays silent")
    func autoPingTimeout() throws {
        let connection = try EmbeddedConnection(configuration: .init(autoPing: .enabled(interval: .seconds(10), timeout: .seconds(5))))
        connection.loop.advanceTime(by: .seconds(10))
        #expect(try connection.sentFrames().map(\.opcode) == [.ping])
        connection.loop.advanceTime(by: .seconds(5))
        let frames = try connection.sentFrames()
        #expect(frames.map(\.opcode) == [.close])
        #expect(try WebSocketCloseFrame(payload: frames[0].payload).code == .goingAway)
        #expect(!connection.channel.isActive)
    }

    @Test("auto-ping: a peer that answers stays connected, and traffic defers the ping")
    func autoPingAnswered() throws {
        let connection = try EmbeddedConnection(configuration: .init(autoPing: .enabled(interval: .seconds(10), timeout: .seconds(5))))
        connection.loop.advanceTime(by: .seconds(6))
        try connection.receive(clientFrame(.text, "traffic"))
        connection.loop.advanceTime(by: .seconds(4))
        #expect(try connection.sentFrames().isEmpty)
        connection.loop.advanceTime(by: .seconds(10))
        #expect(try connection.sentFrames().map(\.opcode) == [.ping])
        try connection.receive(clientFrame(.pong, []))
        connection.loop.advanceTime(by: .seconds(5))
        #expect(connection.channel.isActive)
        #expect(try connection.sentFrames().isEmpty)
    }

    @Test("outgoing messages are compressed when deflate is agreed")
    func compressedOutbound() throws {
        let parameters = PerMessageDeflateParameters.negotiate(offers: [WebSocketExtensionOffer(name: "permessage-deflate")], configuration: .init())
        let connection = try EmbeddedConnection(configuration: .init(compression: .init(), autoPing: .disabled), compression: parameters)
        let text = String(repeating: "compress me ", count: 300)
        try connection.channel.writeAndFlush(WebSocketOutbound.message(.text(text))).wait()
        try connection.channel.writeAndFlush(WebSocketOutbound.message(.text("tiny"))).wait()
        let frames = try connection.sentFrames()
        #expect(frames.map(\.rsv1) == [true, false])
        #expect(frames[0].payload.readableBytes < text.utf8.count / 10)
        var output = ByteBuffer()
        try ZlibDecompressor().decompress(frames[0].payload, isFinal: true, into: &output, limit: 1 << 20)
        #expect(String(buffer: output) == text)
        #expect(String(buffer: frames[1].payload) == "tiny")
    }

    @Test("invalid UTF-8 closes with 1007 before the rest of the frame arrives")
    func failFastOnPartialFrame() throws {
        let connection = try EmbeddedConnection()
        let bytes = clientFrame(.text, Array("ok".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(repeating: 0x20, count: 50))
        try connection.receive(Array(bytes.prefix(12)))
        let frames = try connection.sentFrames()
        #expect(frames.map(\.opcode) == [.close])
        #expect(try WebSocketCloseFrame(payload: frames[0].payload).code == .invalidPayloadData)
    }

    @Test("after a protocol error, messages already delivered may still be answered briefly")
    func failureGracePeriod() throws {
        let connection = try EmbeddedConnection()
        try connection.receive(clientFrame(.text, "first") + clientFrame(.continuation, "stray") + clientFrame(.text, "ignored"))
        #expect(try connection.receivedMessages() == [.text("first")])
        #expect(try connection.sentFrames().isEmpty)
        try connection.channel.writeAndFlush(WebSocketOutbound.message(.text("first"))).wait()
        connection.loop.advanceTime(by: WebSocketConnectionHandler.failureGracePeriod)
        let frames = try connection.sentFrames()
        #expect(frames.map(\.opcode) == [.text, .close])
        #expect(try WebSocketCloseFrame(payload: frames[1].payload).code == .protocolError)
        #expect(!connection.channel.isActive)
        #expect(throws: (any Error).self) {
            try connection.channel.writeAndFlush(WebSocketOutbound.message(.text("late"))).wait()
        }
    }
}
