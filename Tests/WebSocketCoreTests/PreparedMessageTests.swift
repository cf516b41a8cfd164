import NIOCore
import NIOEmbedded
import Testing
@testable import WebSocketCore

@Suite("Prepared (shared) messages")
struct PreparedMessageTests {
    @Test("a prepared message is framed once, as the message path frames it", arguments: [
        WebSocketMessage.text(""), .text("42[\"fanout\",{\"seq\":1}]"), .text(String(repeating: "é", count: 200)),
        .binary(ByteBuffer(bytes: Array(repeating: 7, count: 70_000))),
    ])
    func framedLikeMessages(message: WebSocketMessage) throws {
        let prepared = WebSocketPreparedMessage(message)
        let direct = try EmbeddedConnection()
        try direct.channel.writeAndFlush(WebSocketOutbound.message(message)).wait()
        let shared = try EmbeddedConnection()
        try shared.channel.writeAndFlush(WebSocketOutbound.prepared(prepared)).wait()
        let expected = try direct.sentFrames()
        #expect(expected.count == 1)
        #expect(try shared.sentFrames() == expected)
        #expect(prepared.message == message)
    }

    @Test("every connection writes the same shared bytes")
    func sharedBytes() throws {
        let prepared = WebSocketPreparedMessage(text: "hello")
        let connection = try EmbeddedConnection()
        try connection.channel.writeAndFlush(WebSocketOutbound.prepared(prepared)).wait()
        let written = try #require(try connection.channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(written.readableBytesView) == [0x81, 5] + Array("hello".utf8))
    }

    @Test("a connection with permessage-deflate compresses a prepared message itself")
    func compressedWhenAgreed() throws {
        let parameters = PerMessageDeflateParameters.negotiate(
            offers: [WebSocketExtensionOffer(name: "permessage-deflate")], configuration: .init())
        let connection = try EmbeddedConnection(
            configuration: .init(compression: .init(), autoPing: .disabled), compression: parameters)
        let text = String(repeating: "broadcast ", count: 300)
        try connection.channel.writeAndFlush(WebSocketOutbound.prepared(WebSocketPreparedMessage(text: text))).wait()
        let frames = try connection.sentFrames()
        #expect(frames.map(\.rsv1) == [true])
        var output = ByteBuffer()
        try ZlibDecompressor().decompress(frames[0].payload, isFinal: true, into: &output, limit: 1 << 20)
        #expect(String(buffer: output) == text)
    }

    @Test("a prepared message is refused once the connection is closing")
    func refusedWhenClosing() throws {
        let connection = try EmbeddedConnection()
        connection.channel.write(WebSocketOutbound.close(WebSocketCloseFrame(code: .normalClosure)), promise: nil)
        #expect(throws: WebSocketClosedError.self) {
            try connection.channel.writeAndFlush(WebSocketOutbound.prepared(WebSocketPreparedMessage(text: "late"))).wait()
        }
    }
}
