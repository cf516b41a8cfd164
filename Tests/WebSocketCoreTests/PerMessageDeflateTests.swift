import NIOCore
import Testing
@testable import WebSocketCore

@Suite("permessage-deflate")
struct PerMessageDeflateTests {
    struct Negotiation: Sendable, CustomTestStringConvertible {
        var offer: String
        var configuration = PerMessageDeflateConfiguration()
        /// The response header value, or nil when every offer is declined.
        var response: String?
        var testDescription: String { offer }
    }

    static let table: [Negotiation] = [
        Negotiation(offer: "permessage-deflate", response: "permessage-deflate"),
        Negotiation(offer: "permessage-deflate; client_max_window_bits", response: "permessage-deflate"),
        Negotiation(offer: "permessage-deflate; client_max_window_bits=10",
                    response: "permessage-deflate; client_max_window_bits=10"),
        Negotiation(offer: "permessage-deflate; server_max_window_bits=8",
                    response: "permessage-deflate; server_max_window_bits=8"),
        Negotiation(offer: "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                    response: "permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
        Negotiation(offer: "permessage-deflate; server_max_window_bits=\"12\"",
                    response: "permessage-deflate; server_max_window_bits=12"),
        Negotiation(offer: "permessage-deflate; server_max_window_bits=7", response: nil),
        Negotiation(offer: "permessage-deflate; server_max_window_bits=16", response: nil),
        Negotiation(offer: "permessage-deflate; server_max_window_bits", response: nil),
        Negotiation(offer: "permessage-deflate; client_max_window_bits=0x9", response: nil),
        Negotiation(offer: "permessage-deflate; server_no_context_takeover=1", response: nil),
        Negotiation(offer: "permessage-deflate; server_no_context_takeover; server_no_context_takeover", response: nil),
        Negotiation(offer: "permessage-deflate; foo=bar", response: nil),
        Negotiation(offer: "x-webkit-deflate-frame", response: nil),
        Negotiation(offer: "permessage-deflate; foo, permessage-deflate; client_max_window_bits=9",
                    response: "permessage-deflate; client_max_window_bits=9"),
        Negotiation(offer: "foo, permessage-deflate; server_max_window_bits=10, permessage-deflate",
                    response: "permessage-deflate; server_max_window_bits=10"),
        Negotiation(offer: "permessage-deflate; client_max_window_bits",
                    configuration: PerMessageDeflateConfiguration(clientMaxWindowBits: 11, clientNoContextTakeover: true),
                    response: "permessage-deflate; client_no_context_takeover; client_max_window_bits=11"),
        Negotiation(offer: "permessage-deflate",
                    configuration: PerMessageDeflateConfiguration(serverMaxWindowBits: 10, serverNoContextTakeover: true),
                    response: "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"),
    ]

    @Test("negotiation", arguments: table)
    func negotiation(row: Negotiation) {
        let offers = WebSocketExtensionOffer.parse([row.offer])
        let parameters = PerMessageDeflateParameters.negotiate(offers: offers, configuration: row.configuration)
        #expect(parameters?.responseHeaderValue == row.response)
    }

    @Test("offers split over several header fields are read in order")
    func severalHeaderFields() {
        let offers = WebSocketExtensionOffer.parse(["foo; a=1", "permessage-deflate; client_max_window_bits"])
        #expect(offers.map(\.name) == ["foo", "permessage-deflate"])
        #expect(offers[1].parameters.first?.name == "client_max_window_bits")
    }

    static let messages: [String] = ["", "a", String(repeating: "Hello, WebSocket! ", count: 500), "¡Hola! こんにちは 🌍"]

    @Test("compressed messages round trip, with and without context takeover", arguments: [false, true])
    func roundTrip(noContextTakeover: Bool) throws {
        let offer = noContextTakeover ? "permessage-deflate; server_no_context_takeover; client_no_context_takeover" : "permessage-deflate"
        let parameters = try #require(PerMessageDeflateParameters.negotiate(
            offers: WebSocketExtensionOffer.parse([offer]), configuration: PerMessageDeflateConfiguration()))
        // The client side uses the same format, so our compressor plays the client.
        let clientCompressor = ZlibCompressor(windowBits: 15, noContextTakeover: noContextTakeover)
        var bytes: [UInt8] = []
        for message in Self.messages + Self.messages {
            let compressed = clientCompressor.compress(ByteBuffer(string: message))
            bytes += clientFrame(.text, Array(compressed.readableBytesView), rsv1: true)
        }
        let received = try events(bytes, compression: parameters).get()
        #expect(received == (Self.messages + Self.messages).map { .message(.text($0)) })
    }

    @Test("a compressed message split into fragments")
    func fragmentedCompressedMessage() throws {
        let parameters = try #require(PerMessageDeflateParameters.negotiate(
            offers: [WebSocketExtensionOffer(name: "permessage-deflate")], configuration: .init()))
        let text = String(repeating: "fragmented and compressed ", count: 200)
        let compressed = Array(ZlibCompressor(windowBits: 15, noContextTakeover: false).compress(ByteBuffer(string: text)).readableBytesView)
        let third = compressed.count / 3
        let bytes = clientFrame(.text, Array(compressed[..<third]), fin: false, rsv1: true)
            + clientFrame(.continuation, Array(compressed[third..<(2 * third)]), fin: false)
            + clientFrame(.continuation, Array(compressed[(2 * third)...]))
        #expect(try events(bytes, compression: parameters).get() == [.message(.text(text))])
    }

    @Test("RSV1 on a continuation frame is a protocol error even with deflate")
    func rsv1OnContinuation() throws {
        let parameters = PerMessageDeflateParameters.negotiate(offers: [WebSocketExtensionOffer(name: "permessage-deflate")], configuration: .init())
        let bytes = clientFrame(.text, [0x00], fin: false) + clientFrame(.continuation, [0x00], rsv1: true)
        #expect(events(bytes, compression: parameters).failureCode == .protocolError)
    }

    @Test("a zip bomb stops at the message size limit with 1009")
    func zipBomb() throws {
        let parameters = PerMessageDeflateParameters.negotiate(offers: [WebSocketExtensionOffer(name: "permessage-deflate")], configuration: .init())
        let bomb = ZlibCompressor(windowBits: 15, noContextTakeover: false).compress(ByteBuffer(repeating: 0, count: 8 << 20))
        #expect(bomb.readableBytes < 16_384)
        let bytes = clientFrame(.binary, Array(bomb.readableBytesView), rsv1: true)
        #expect(events(bytes, maxMessageSize: 1 << 20, compression: parameters).failureCode == .messageTooBig)
    }

    @Test("corrupt deflate data fails the connection")
    func corruptData() {
        let parameters = PerMessageDeflateParameters.negotiate(offers: [WebSocketExtensionOffer(name: "permessage-deflate")], configuration: .init())
        let bytes = clientFrame(.binary, [0xFF, 0xFF, 0xFF, 0xFF], rsv1: true)
        #expect(events(bytes, compression: parameters).failureCode == .invalidPayloadData)
    }

    @Test("server window 8 is honoured by compressing with zlib's smallest raw window")
    func windowBitsEight() throws {
        let compressor = ZlibCompressor(windowBits: 8, noContextTakeover: false)
        let decompressor = ZlibDecompressor()
        let text = String(repeating: "window bits eight ", count: 100)
        var output = ByteBuffer()
        try decompressor.decompress(compressor.compress(ByteBuffer(string: text)), isFinal: true, into: &output, limit: 1 << 20)
        #expect(String(buffer: output) == text)
    }
}
