import NIOCore

/// Turns bytes into WebSocket frames (RFC 6455 §5.2), checking every rule that a single frame
/// can break. Pure: feed it bytes in any split with `append(_:)` and pull frames with
/// `nextFrame()`; it never touches a socket.
///
/// Checked here: RSV2/RSV3 (no extension uses them), reserved opcodes, control frames that are
/// fragmented or longer than 125 bytes, minimal length encoding, the 64-bit length's most
/// significant bit, the mask bit (clients must mask, servers must not) and the maximum frame size
/// (→ 1009). Message-level rules (RSV1, continuation order, UTF-8) belong to
/// `WebSocketMessageAssembler`.
public struct WebSocketFrameDecoder: Sendable {
    /// The largest payload accepted in one frame, in bytes; bigger frames fail with 1009.
    public var maxFrameSize: Int
    /// Whether frames must be masked (true on a server) or must not be (false on a client).
    public var expectsMaskedFrames: Bool

    private var buffer: ByteBuffer?

    /// A decoder accepting frames up to `maxFrameSize` bytes (default 1 MiB) that requires masked
    /// frames (server side) unless `expectsMaskedFrames` is false.
    public init(maxFrameSize: Int = 1 << 20, expectsMaskedFrames: Bool = true) {
        self.maxFrameSize = maxFrameSize
        self.expectsMaskedFrames = expectsMaskedFrames
    }

    /// The number of received bytes not yet returned as part of a frame.
    public var bufferedByteCount: Int { buffer?.readableBytes ?? 0 }

    /// Adds received bytes.
    public mutating func append(_ bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        if buffer == nil {
            buffer = bytes
        } else {
            buffer!.writeImmutableBuffer(bytes)
        }
    }

    /// The next complete frame, or nil when more bytes are needed. Throws as soon as the bytes
    /// seen so far break a rule, even before the frame's payload has arrived.
    public mutating func nextFrame() throws(WebSocketProtocolError) -> WebSocketFrame? {
        guard let pending = buffer,
              let header = try Self.parseHeader(pending, maxFrameSize: maxFrameSize, expectsMasked: expectsMaskedFrames),
              pending.readableBytes >= header.headerLength + header.payloadLength
        else { return nil }
        // Drop the stored reference first so that moving indices never copies the storage.
        var bytes = pending
        buffer = nil
        bytes.moveReaderIndex(forwardBy: header.headerLength)
        var payload = bytes.readSlice(length: header.payloadLength)!
        if let key = header.maskingKey {
            payload = Self.unmasked(payload, key: key)
        }
        if bytes.readableBytes == 0 {
            buffer = nil
        } else {
            if bytes.readerIndex > 65_536 && bytes.readerIndex > bytes.readableBytes {
                bytes.discardReadBytes()
            }
            buffer = bytes
        }
        return WebSocketFrame(fin: header.fin, rsv1: header.rsv1, rsv2: false, rsv3: false,
                              opcode: header.opcode, payload: payload)
    }

    /// The frame being received when it is not complete yet: its header and the payload bytes
    /// from `offset` on that have arrived so far (unmasked), so that a text frame can be
    /// validated while it streams in. nil when no frame is partly received, when nothing arrived
    /// past `offset`, or when `wanted` (given the opcode and RSV1) declines it.
    public func incompleteFrame(
        payloadFrom offset: Int, if wanted: (_ opcode: WebSocketOpcode, _ rsv1: Bool) -> Bool
    ) -> WebSocketFrame? {
        guard let pending = buffer,
              let header = try? Self.parseHeader(pending, maxFrameSize: maxFrameSize, expectsMasked: expectsMaskedFrames),
              wanted(header.opcode, header.rsv1)
        else { return nil }
        let available = pending.readableBytes - header.headerLength
        guard available < header.payloadLength, available > offset else { return nil }
        var payload = pending.getSlice(at: pending.readerIndex + header.headerLength + offset, length: available - offset)!
        if let key = header.maskingKey {
            payload = Self.unmasked(payload, key: key.rotated(by: offset))
        }
        return WebSocketFrame(fin: header.fin, rsv1: header.rsv1, opcode: header.opcode, payload: payload)
    }

    private struct Header {
        var fin: Bool
        var rsv1: Bool
        var opcode: WebSocketOpcode
        var maskingKey: WebSocketMaskingKey?
        var headerLength: Int
        var payloadLength: Int
    }

    /// Parses the header at the reader index without consuming it; nil when it is incomplete.
    private static func parseHeader(
        _ bytes: ByteBuffer, maxFrameSize: Int, expectsMasked: Bool
    ) throws(WebSocketProtocolError) -> Header? {
        let start = bytes.readerIndex
        let available = bytes.readableBytes
        guard available >= 2, let first = bytes.getInteger(at: start, as: UInt8.self),
              let second = bytes.getInteger(at: start + 1, as: UInt8.self)
        else { return nil }
        let fin = first & 0x80 != 0
        if first & 0x30 != 0 { throw .protocolError("reserved bits RSV2/RSV3 set") }
        let opcode = WebSocketOpcode(rawValue: first & 0x0F)!
        guard opcode.isDefined else { throw .protocolError("reserved opcode \(opcode.rawValue)") }
        let masked = second & 0x80 != 0
        if masked != expectsMasked { throw .protocolError(masked ? "masked server frame" : "unmasked client frame") }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl {
            if !fin { throw .protocolError("fragmented control frame") }
            if shortLength > 125 { throw .protocolError("control frame longer than 125 bytes") }
        }
        var headerLength = 2
        var length = shortLength
        if shortLength == 126 {
            guard available >= 4, let value = bytes.getInteger(at: start + 2, as: UInt16.self) else { return nil }
            if value < 126 { throw .protocolError("non-minimal 16-bit length") }
            length = Int(value)
            headerLength = 4
        } else if shortLength == 127 {
            guard available >= 10, let value = bytes.getInteger(at: start + 2, as: UInt64.self) else { return nil }
            if value & (1 << 63) != 0 { throw .protocolError("64-bit length with the most significant bit set") }
            if value <= 0xFFFF { throw .protocolError("non-minimal 64-bit length") }
            if value > UInt64(maxFrameSize) { throw .tooBig("frame larger than \(maxFrameSize) bytes") }
            length = Int(value)
            headerLength = 10
        }
        if length > maxFrameSize { throw .tooBig("frame larger than \(maxFrameSize) bytes") }
        var key: WebSocketMaskingKey?
        if masked {
            guard available >= headerLength + 4 else { return nil }
            let k = bytes.getBytes(at: start + headerLength, length: 4)!
            key = WebSocketMaskingKey(k[0], k[1], k[2], k[3])
            headerLength += 4
        }
        return Header(fin: fin, rsv1: first & 0x40 != 0, opcode: opcode, maskingKey: key,
                      headerLength: headerLength, payloadLength: length)
    }

    private static func unmasked(_ payload: ByteBuffer, key: WebSocketMaskingKey) -> ByteBuffer {
        let count = payload.readableBytes
        guard count > 0 else { return payload }
        var output = ByteBufferAllocator().buffer(capacity: count)
        payload.withUnsafeReadableBytes { source in
            _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { destination in
                key.apply(source, into: destination)
                return count
            }
        }
        return output
    }
}
