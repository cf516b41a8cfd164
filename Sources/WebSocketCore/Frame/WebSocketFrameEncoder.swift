import NIOCore

/// Turns WebSocket frames into bytes (RFC 6455 §5.2). Servers send unmasked frames; a client
/// (or a test playing one) passes a masking key.
public enum WebSocketFrameEncoder {
    /// The size of the header for a payload of `length` bytes, with or without a masking key.
    public static func headerLength(payloadLength length: Int, masked: Bool) -> Int {
        let base = length < 126 ? 2 : (length <= 0xFFFF ? 4 : 10)
        return masked ? base + 4 : base
    }

    /// Writes the header of `frame` (using the minimal length encoding) into `buffer`.
    public static func writeHeader(
        of frame: WebSocketFrame, payloadLength length: Int, maskingKey: WebSocketMaskingKey? = nil,
        into buffer: inout ByteBuffer
    ) {
        var first = frame.opcode.rawValue
        if frame.fin { first |= 0x80 }
        if frame.rsv1 { first |= 0x40 }
        if frame.rsv2 { first |= 0x20 }
        if frame.rsv3 { first |= 0x10 }
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        buffer.writeInteger(first)
        if length < 126 {
            buffer.writeInteger(UInt8(length) | maskBit)
        } else if length <= 0xFFFF {
            buffer.writeInteger(126 | maskBit)
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(127 | maskBit)
            buffer.writeInteger(UInt64(length))
        }
        if let key = maskingKey {
            buffer.writeBytes([key.bytes.0, key.bytes.1, key.bytes.2, key.bytes.3])
        }
    }

    /// Writes the whole frame (header and payload, masked when a key is given) into `buffer`.
    public static func encode(
        _ frame: WebSocketFrame, maskingKey: WebSocketMaskingKey? = nil, into buffer: inout ByteBuffer
    ) {
        let length = frame.payload.readableBytes
        buffer.reserveCapacity(minimumWritableBytes: headerLength(payloadLength: length, masked: maskingKey != nil) + length)
        writeHeader(of: frame, payloadLength: length, maskingKey: maskingKey, into: &buffer)
        guard let key = maskingKey else {
            buffer.writeImmutableBuffer(frame.payload)
            return
        }
        guard length > 0 else { return }
        frame.payload.withUnsafeReadableBytes { source in
            _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { destination in
                key.apply(source, into: destination)
                return length
            }
        }
    }

    /// The whole frame as a new buffer.
    public static func encode(_ frame: WebSocketFrame, maskingKey: WebSocketMaskingKey? = nil) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(frame, maskingKey: maskingKey, into: &buffer)
        return buffer
    }
}
