import HTTPCore
import NIOCore
import NIOPosix
import SocketIO
import Testing
import WebSocketCore

/// Broadcasts to more WebSocket sockets than one delivery batch, over real loopback TCP with raw
/// Engine.IO clients: every socket gets every packet once, in order, interleaved with its own.
@Suite("Broadcast fan-out over WebSocket")
struct BroadcastFanoutTests {
    typealias ClientChannel = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// One raw Engine.IO v4 / Socket.IO v5 client of namespace "/" over WebSocket.
    struct Client {
        let channel: ClientChannel
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var decoder = WebSocketFrameDecoder(expectsMaskedFrames: false)

        /// Connects, upgrades, and waits for the Socket.IO connect answer.
        static func connect(port: Int) async throws -> Client {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try ClientChannel(wrappingChannelSynchronously: channel) }
                }
            var client = Client(channel: channel, inbound: channel.inbound.makeAsyncIterator())
            try await channel.outbound.write(ByteBuffer(string:
                "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
            var head = ByteBuffer()
            while true {
                guard var bytes = try await client.inbound.next() else { throw ChannelError.eof }
                head.writeBuffer(&bytes)
                let text = String(buffer: head)
                guard let end = text.range(of: "\r\n\r\n") else { continue }
                #expect(text.hasPrefix("HTTP/1.1 101"))
                let consumed = text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound)
                head.moveReaderIndex(forwardBy: consumed)
                client.decoder.append(head)
                break
            }
            #expect(try await client.nextPacket()?.hasPrefix(#"0{"sid":"#) == true)
            try await client.send("40")
            #expect(try await client.nextPacket()?.hasPrefix(#"40{"sid":"#) == true)
            return client
        }

        /// The next text message other than a ping (which is answered).
        mutating func nextPacket() async throws -> String? {
            while true {
                if let frame = try decoder.nextFrame() {
                    let packet = String(buffer: frame.payload)
                    if packet == "2" {
                        try await send("3")
                        continue
                    }
                    return packet
                }
                guard let bytes = try await inbound.next() else { return nil }
                decoder.append(bytes)
            }
        }

        /// Sends a masked text frame.
        func send(_ text: String) async throws {
            let frame = WebSocketFrame(opcode: .text, payload: ByteBuffer(string: text))
            try await channel.outbound.write(
                WebSocketFrameEncoder.encode(frame, maskingKey: WebSocketMaskingKey(1, 2, 3, 4)))
        }
    }

    @Test("every socket gets every broadcast and its own packets once, in order", .timeLimit(.minutes(2)))
    func broadcastsReachEverySocketInOrder() async throws {
        let io = SocketIOServer()
        io.onConnection { socket in
            socket.on("own") { arguments, _ in socket.emit("own", arguments: arguments) }
        }
        var app = App()
        io.attach(to: &app)
        let http = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0))
        try await http.start()
        let port = try #require(http.localAddress?.port)
        let count = 300  // more than two delivery batches
        var clients: [Client] = []
        for _ in 0..<count { clients.append(try await Client.connect(port: port)) }
        // A socket is in its namespace's adapter and registry before its CONNECT answer goes out.
        #expect(try await io.main.all.socketIDs().count == count)
        #expect(io.main.sockets.count == count)

        let broadcasts = 5
        for round in 0..<broadcasts {
            await io.main.emit("news", .string("n\(round)"))
            // Socket 0 also asks for one packet of its own after each broadcast.
            if round < 2 { try await clients[0].send(#"42["own",\#(round)]"#) }
        }
        for index in clients.indices {
            var news: [String] = []
            var own: [String] = []
            while news.count < broadcasts || (index == 0 && own.count < 2) {
                let packet = try #require(try await clients[index].nextPacket())
                if packet.hasPrefix(#"42["news""#) { news.append(packet) }
                if packet.hasPrefix(#"42["own""#) { own.append(packet) }
            }
            #expect(news == (0..<broadcasts).map { #"42["news","n\#($0)"]"# })
            if index == 0 { #expect(own == [#"42["own",0]"#, #"42["own",1]"#]) }
        }
        for client in clients {  // a close frame: the server answers it and closes at once
            let close = WebSocketFrame(opcode: .close, payload: ByteBuffer(bytes: [0x03, 0xE8]))
            try await client.channel.outbound.write(
                WebSocketFrameEncoder.encode(close, maskingKey: WebSocketMaskingKey(1, 2, 3, 4)))
        }
        for client in clients { try? await client.channel.channel.closeFuture.get() }
        await http.shutdown()
    }
}
