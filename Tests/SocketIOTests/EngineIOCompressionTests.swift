import CZlib
import Glibc
import HTTPCore
import NIOCore
import SesiorTesting
import SocketIO
import Testing
import WebSocketCore

/// `httpCompression` on polling responses and `perMessageDeflate` on the Engine.IO WebSocket.
struct EngineIOCompressionTests {
    @Test("Accept-Encoding negotiation", arguments: [
        (nil, nil), ("gzip", .gzip), ("deflate", .deflate), ("gzip, deflate, br", .gzip), ("br", nil),
        ("deflate;q=1, gzip;q=0.5", .deflate), ("gzip;q=0", nil), ("*", .gzip), ("gzip;q=0, *", .deflate),
        ("identity", nil), (" GZIP ", .gzip),
    ] as [(String?, EngineIOHTTPCompression.Encoding?)])
    func negotiation(header: String?, expected: EngineIOHTTPCompression.Encoding?) {
        #expect(EngineIOHTTPCompression.encoding(forAcceptEncoding: header) == expected)
    }

    @Test(arguments: EngineIOHTTPCompression.Encoding.allCases)
    func compressionRoundTrips(encoding: EngineIOHTTPCompression.Encoding) throws {
        for size in [0, 1, 1000, 200_000] {
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<size).map { _ in UInt8(ascii: "a") + UInt8(generator.next() % 4) }
            let compressed = EngineIOHTTPCompression.compress(ByteBuffer(bytes: bytes), with: encoding)
            #expect(try Self.inflate(compressed, windowBits: encoding == .gzip ? 31 : 15) == bytes)
        }
    }

    @Test func pollingAboveTheThresholdIsGzippedOnlyWhenAccepted() async throws {
        let (sockets, sink) = AsyncStream.makeStream(of: EngineIOSocket.self)
        let engine = EngineIOServer(configuration: EngineIOServerConfiguration()) { sink.yield($0) }
        func get(_ query: String, acceptEncoding: String?) async throws -> Response {
            var headers: HTTPHeaders = [:]
            if let acceptEncoding { headers.add(name: "Accept-Encoding", value: acceptEncoding) }
            let request = Request(
                head: HTTPRequestHead(
                    method: .get, target: "/socket.io/?EIO=4&transport=polling" + query, headers: headers))
            return try await engine.handle(request) { _ in Response(status: .notFound) }
        }
        let open = try await get("", acceptEncoding: "gzip")
        #expect(open.headers["Content-Encoding"] == nil)  // the open packet is below 1024 bytes
        guard case .bytes(let openBody) = open.body else { throw CancellationError() }
        let text = String(buffer: openBody)
        let start = text.index(text.startIndex, offsetBy: 9)
        let sid = String(text[start..<(text[start...].firstIndex(of: "\"") ?? text.endIndex)])
        var iterator = sockets.makeAsyncIterator()
        let socket = try #require(await iterator.next())

        let large = String(repeating: "x", count: 4096)
        for (message, acceptEncoding, encoded) in [
            (large, "gzip, deflate", true), ("small", "gzip", false), (large, nil, false), (large, "br", false),
        ] as [(String, String?, Bool)] {
            socket.send([EngineIOPacket(type: .message, data: .text(message))])
            let response = try await get("&sid=\(sid)", acceptEncoding: acceptEncoding)
            guard case .bytes(let body) = response.body else { throw CancellationError() }
            #expect(response.headers["Content-Encoding"] == (encoded ? "gzip" : nil))
            let plain = encoded ? try Self.inflate(body, windowBits: 31) : Array(body.readableBytesView)
            #expect(String(decoding: plain, as: UTF8.self) == "4" + message)
            if encoded { #expect(body.readableBytes < 200) }
        }
        socket.close()
    }

    @Test func aLargeWebSocketMessageIsSentCompressed() async throws {
        let (sockets, sink) = AsyncStream.makeStream(of: EngineIOSocket.self)
        let configuration = EngineIOServerConfiguration(
            perMessageDeflate: PerMessageDeflateConfiguration(minimumCompressedMessageSize: 1024))
        let engine = EngineIOServer(configuration: configuration) { sink.yield($0) }
        var app = App()
        app.use(engine)
        let http = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0))
        try await http.start()
        let port = try #require(http.localAddress?.port)
        let connection = try RawConnection(port: port)
        connection.send(
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                + "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
        let head = await blockingCall { connection.readHead() }
        #expect(head.hasPrefix("HTTP/1.1 101"))
        #expect(head.lowercased().contains("sec-websocket-extensions: permessage-deflate"))
        let open = await blockingCall { connection.readFrame() }
        #expect(open.rsv1 == false)  // below the threshold
        #expect(open.payload.first == UInt8(ascii: "0"))
        var iterator = sockets.makeAsyncIterator()
        let socket = try #require(await iterator.next())

        var generator = SystemRandomNumberGenerator()
        let words = ["alpha", "beta", "gamma", "delta", "epsilon"]
        var message = ""
        while message.utf8.count < 100 * 1024 { message += words[Int(generator.next() % 5)] + " " }
        socket.send([EngineIOPacket(type: .message, data: .text(message))])
        let frame = await blockingCall { connection.readFrame() }
        #expect(frame.rsv1)
        #expect(frame.payload.count < 100 * 1024 / 2, "\(frame.payload.count) bytes on the wire")
        let inflated = try Self.inflate(ByteBuffer(bytes: frame.payload + [0, 0, 0xff, 0xff]), windowBits: -15)
        #expect(String(decoding: inflated, as: UTF8.self) == "4" + message)
        socket.close()
        connection.close()
        await http.shutdown()
    }

    /// Inflates `buffer` whole (`windowBits` 31 gzip, 15 zlib, -15 raw).
    static func inflate(_ buffer: ByteBuffer, windowBits: Int32) throws -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            inflateEnd(stream)
            stream.deallocate()
        }
        guard inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CancellationError()
        }
        var input = Array(buffer.readableBytesView)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        try input.withUnsafeMutableBufferPointer { source in
            stream.pointee.next_in = source.baseAddress
            stream.pointee.avail_in = uInt(source.count)
            while true {
                let (result, produced) = chunk.withUnsafeMutableBufferPointer { destination in
                    stream.pointee.next_out = destination.baseAddress
                    stream.pointee.avail_out = uInt(destination.count)
                    let result = Glibc_inflate(stream)
                    return (result, destination.count - Int(stream.pointee.avail_out))
                }
                output += chunk[..<produced]
                if result == Z_STREAM_END || (result == Z_BUF_ERROR && stream.pointee.avail_in == 0) { break }
                guard result == Z_OK else { throw CancellationError() }
                if stream.pointee.avail_in == 0 && produced < chunk.count { break }
            }
        }
        return output
    }
}

private func Glibc_inflate(_ stream: UnsafeMutablePointer<z_stream>) -> Int32 { CZlib.inflate(stream, Z_SYNC_FLUSH) }

/// A blocking TCP client that reads an HTTP head and WebSocket frames byte by byte (its reads are
/// called through `blockingCall`, off the cooperative pool).
private struct RawConnection: Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = try TransportPollingAbortTests.connect(port: port)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    }

    func read(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, count - filled, 0) }
            if got <= 0 { return Array(bytes[..<filled]) }
            filled += got
        }
        return bytes
    }

    func readHead() -> String {
        var head: [UInt8] = []
        while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let byte = read(1)
            if byte.isEmpty { break }
            head += byte
        }
        return String(decoding: head, as: UTF8.self)
    }

    /// The next (unmasked, server-sent) frame: its RSV1 bit and payload.
    func readFrame() -> (rsv1: Bool, payload: [UInt8]) {
        let header = read(2)
        guard header.count == 2 else { return (false, []) }
        var length = Int(header[1] & 0x7f)
        if length == 126 {
            length = read(2).reduce(0) { $0 << 8 | Int($1) }
        } else if length == 127 {
            length = read(8).reduce(0) { $0 << 8 | Int($1) }
        }
        return (header[0] & 0x40 != 0, read(length))
    }

    func close() { Glibc.close(fd) }
}
