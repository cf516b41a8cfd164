import HTTPCore
import NIOCore
import NIOPosix
import WebSocketCore

/// TEMPORARY: a minimal HTTP/1.1 front that only performs WebSocket upgrades, until HTTPCore's
/// server lands. Reads the request head, asks the upgrader for a response, writes it and hands
/// the channel over.
enum ScratchUpgradeServer {
    static func start(host: String, port: Int, upgrader: WebSocketUpgrader) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HeadHandler(upgrader: upgrader))
                }
            }
            .bind(host: host, port: port).get()
    }

    final class HeadHandler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let upgrader: WebSocketUpgrader
        var buffer = ByteBuffer()
        var done = false

        init(upgrader: WebSocketUpgrader) { self.upgrader = upgrader }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !done else { return }
            var input = unwrapInboundIn(data)
            buffer.writeBuffer(&input)
            let bytes = buffer.readableBytesView
            guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
            done = true
            let headText = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
            buffer.moveReaderIndex(to: end.upperBound)
            let rest = buffer
            var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)
            let requestLine = lines.removeFirst().split(separator: " ")
            var headers = HTTPHeaders()
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.add(name: String(line[..<colon]),
                            value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
            let head = HTTPRequestHead(method: HTTPMethod(rawValue: String(requestLine.first ?? "")),
                                       target: requestLine.count > 1 ? String(requestLine[1]) : "/", headers: headers)
            var out = context.channel.allocator.buffer(capacity: 256)
            do {
                let response = try upgrader.response(for: Request(head: head))
                out.writeString("HTTP/1.1 101 Switching Protocols\r\n")
                for (name, value) in response.headers { out.writeString("\(name): \(value)\r\n") }
                out.writeString("\r\n")
                context.writeAndFlush(wrapOutboundOut(out), promise: nil)
                let channel = context.channel
                context.pipeline.syncOperations.removeHandler(self, promise: nil)
                response.upgrade!.configure(channel).whenSuccess {
                    if rest.readableBytes > 0 { channel.pipeline.fireChannelRead(rest) }
                }
            } catch {
                out.writeString("HTTP/1.1 \(error.status.code) \(error.status.reasonPhrase)\r\nContent-Length: 0\r\nConnection: close\r\n")
                for (name, value) in error.headers { out.writeString("\(name): \(value)\r\n") }
                out.writeString("\r\n")
                context.writeAndFlush(wrapOutboundOut(out)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in _: Whitespace) -> String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
    fileprivate enum Whitespace { case whitespaces }
}
