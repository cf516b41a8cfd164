import NIOCore

/// One Engine.IO v4 / Socket.IO v5 client of namespace "/" over a raw WebSocket, as a NIO
/// channel handler (the Swift twin of Benchmarks/peers/eio_websocket.py): the HTTP/1.1 upgrade,
/// unmasked server frames of any length (fragmented ones included), masked client text frames,
/// ping/pong and close frames; Engine.IO open (`0…`) → Socket.IO connect (`40`), heartbeat
/// `2` → `3`, events `42…` handed to `onEvent` with the time the frame was parsed.
final class EngineIOClientHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Called on the channel's event loop for every `42…` packet: the payload and the
    /// monotonic time (`NIODeadline.now().uptimeNanoseconds`) it was parsed at.
    typealias EventHandler = (ByteBufferView, UInt64) -> Void

    private let request: String
    private let onEvent: EventHandler
    private let connected: EventLoopPromise<Void>
    private var buffer = ByteBuffer()
    private var upgraded = false
    private var fragments: (opcode: UInt8, data: ByteBuffer)?

    /// A client sending `Cookie: cookie` (when not empty) on its upgrade; `connected` succeeds
    /// when the server answered the Socket.IO connect and fails when the connection ends before.
    init(host: String, port: Int, cookie: String, connected: EventLoopPromise<Void>, onEvent: @escaping EventHandler) {
        var key = [UInt8](repeating: 0, count: 16)
        for index in key.indices { key[index] = UInt8.random(in: 0...255) }
        request = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: \(host):\(port)\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: \(Self.base64(key))\r\n"
            + (cookie.isEmpty ? "" : "Cookie: \(cookie)\r\n") + "\r\n"
        self.onEvent = onEvent
        self.connected = connected
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: request)), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connected.fail(ChannelError.ioOnClosedChannel)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connected.fail(error)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        if !upgraded {
            let view = buffer.readableBytesView
            guard let end = Self.headerEnd(view) else { return }
            let ok = view.starts(with: "HTTP/1.1 101".utf8)
            buffer.moveReaderIndex(forwardBy: end)
            guard ok else {
                connected.fail(ChannelError.inappropriateOperationForState)
                context.close(promise: nil)
                return
            }
            upgraded = true
        }
        parseFrames(context: context)
        buffer.discardReadBytes()
    }

    // MARK: - Frames

    private func parseFrames(context: ChannelHandlerContext) {
        while buffer.readableBytes >= 2 {
            let start = buffer.readerIndex
            let first = buffer.getInteger(at: start, as: UInt8.self)!
            let second = buffer.getInteger(at: start + 1, as: UInt8.self)!
            var length = Int(second & 0x7F)
            var header = 2
            if length == 126 {
                guard let value = buffer.getInteger(at: start + 2, as: UInt16.self) else { return }
                length = Int(value)
                header = 4
            } else if length == 127 {
                guard let value = buffer.getInteger(at: start + 2, as: UInt64.self) else { return }
                length = Int(value)
                header = 10
            }
            guard second & 0x80 == 0 else {  // servers never mask (RFC 6455 §5.1)
                context.close(promise: nil)
                return
            }
            guard buffer.readableBytes >= header + length else { return }
            let payload = buffer.getSlice(at: start + header, length: length)!
            buffer.moveReaderIndex(forwardBy: header + length)
            frame(context: context, opcode: first & 0x0F, final: first & 0x80 != 0, payload: payload)
        }
    }

    private func frame(context: ChannelHandlerContext, opcode: UInt8, final: Bool, payload: ByteBuffer) {
        var opcode = opcode
        var payload = payload
        if opcode == 0, var partial = fragments {
            partial.data.writeImmutableBuffer(payload)
            guard final else {
                fragments = partial
                return
            }
            fragments = nil
            opcode = partial.opcode
            payload = partial.data
        } else if !final && (opcode == 1 || opcode == 2) {
            fragments = (opcode, payload)
            return
        }
        switch opcode {
        case 1: packet(context: context, payload.readableBytesView)
        case 8: close(context: context)
        case 9: send(context: context, payload.readableBytesView, opcode: 10)
        default: break
        }
    }

    private func packet(context: ChannelHandlerContext, _ packet: ByteBufferView) {
        if packet.starts(with: "42".utf8) {
            onEvent(packet, NIODeadline.now().uptimeNanoseconds)
        } else if packet.elementsEqual("2".utf8) {
            send(context: context, "3".utf8, opcode: 1)
        } else if packet.starts(with: "40".utf8) {
            connected.succeed(())
        } else if packet.starts(with: "44".utf8) {
            connected.fail(ChannelError.inappropriateOperationForState)
            close(context: context)
        } else if packet.starts(with: "0".utf8) {
            send(context: context, "40".utf8, opcode: 1)
        } else if packet.elementsEqual("1".utf8) || packet.starts(with: "41".utf8) {
            close(context: context)
        }
    }

    private func close(context: ChannelHandlerContext) {
        send(context: context, [0x03, 0xE8], opcode: 8)
        context.close(promise: nil)
    }

    private func send<Bytes: Collection>(context: ChannelHandlerContext, _ payload: Bytes, opcode: UInt8) where Bytes.Element == UInt8 {
        guard context.channel.isActive else { return }
        context.writeAndFlush(
            wrapOutboundOut(Self.clientFrame(payload, opcode: opcode, allocator: context.channel.allocator)), promise: nil)
    }

    // MARK: - Helpers

    /// One final, masked client frame (RFC 6455 §5.2–5.3).
    static func clientFrame<Bytes: Collection>(
        _ payload: Bytes, opcode: UInt8 = 1, allocator: ByteBufferAllocator
    ) -> ByteBuffer where Bytes.Element == UInt8 {
        let count = payload.count
        var frame = allocator.buffer(capacity: count + 14)
        frame.writeInteger(0x80 | opcode)
        if count < 126 {
            frame.writeInteger(UInt8(0x80 | count))
        } else if count < 65_536 {
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(count))
        } else {
            frame.writeInteger(UInt8(0x80 | 127))
            frame.writeInteger(UInt64(count))
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame.writeBytes(mask)
        for (index, byte) in payload.enumerated() { frame.writeInteger(byte ^ mask[index & 3]) }
        return frame
    }

    /// The index just after the first `\r\n\r\n` of `view`, if it holds one.
    private static func headerEnd(_ view: ByteBufferView) -> Int? {
        let bytes = Array(view)
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [UInt8]()
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for byte in chunk { value = value << 8 | Int(byte) }
            value <<= 8 * (3 - chunk.count)
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
