import NIOCore

/// Turns decoded frames into `WebSocketEvent`s: joins fragments into messages (RFC 6455 §5.4),
/// inflates permessage-deflate messages, validates text incrementally and parses close frames.
/// Pure apart from zlib's state: no I/O, no clock.
///
/// Errors carry the close code: 1002 for protocol violations (continuation without a message, a
/// new message inside another, RSV1 where not allowed, bad close frames), 1007 for invalid UTF-8
/// (detected at the first bad byte, even mid-message), 1009 for a message over
/// `maxMessageSize` (after decompression).
///
/// Not Sendable when compression is on: the decompressor's zlib stream is owned by one thread.
public struct WebSocketMessageAssembler {
    /// The largest message accepted, in bytes after decompression.
    public var maxMessageSize: Int

    private let decompressor: ZlibDecompressor?
    private let resetsDecompressor: Bool
    private var current: PartialMessage?
    /// UTF-8 state over the part of the next (incomplete) text frame checked so far.
    private var incompleteFrameCheck: (validator: UTF8Validator, checkedBytes: Int)?

    private struct PartialMessage {
        var isText: Bool
        var isCompressed: Bool
        var data: ByteBuffer
        var validator: UTF8Validator
    }

    /// - Parameters:
    ///   - maxMessageSize: the message size limit in bytes (after decompression).
    ///   - compression: the negotiated permessage-deflate parameters, or nil when not in use
    ///     (then RSV1 is a protocol error).
    public init(maxMessageSize: Int = 1 << 20, compression: PerMessageDeflateParameters? = nil) {
        self.maxMessageSize = maxMessageSize
        decompressor = compression.map { _ in ZlibDecompressor() }
        resetsDecompressor = compression?.clientNoContextTakeover ?? false
    }

    /// Whether a fragmented message has started and not yet ended.
    public var isAssemblingMessage: Bool { current != nil }

    /// How many payload bytes of the incomplete next frame `inspectIncompleteFrame` has checked.
    public var incompleteFrameCheckedBytes: Int { incompleteFrameCheck?.checkedBytes ?? 0 }

    /// Whether the incomplete next frame is worth inspecting: uncompressed text (a text frame,
    /// or a continuation of an uncompressed text message).
    public func wantsIncompleteFrame(opcode: WebSocketOpcode, rsv1: Bool) -> Bool {
        if rsv1 { return false }
        if opcode == .text { return current == nil }
        if opcode == .continuation, let current { return current.isText && !current.isCompressed }
        return false
    }

    /// Validates the newly arrived bytes of an incomplete text frame (from
    /// `WebSocketFrameDecoder.incompleteFrame`), so that invalid UTF-8 fails (1007) before the
    /// rest of the frame arrives.
    public mutating func inspectIncompleteFrame(_ part: WebSocketFrame) throws(WebSocketProtocolError) {
        guard wantsIncompleteFrame(opcode: part.opcode, rsv1: part.rsv1) else { return }
        var check = incompleteFrameCheck ?? (current?.validator ?? UTF8Validator(), 0)
        let valid = part.payload.withUnsafeReadableBytes { check.validator.validate($0) }
        guard valid else { throw .invalidPayload("text message is not UTF-8") }
        check.checkedBytes += part.payload.readableBytes
        incompleteFrameCheck = check
    }

    /// Takes the next frame; returns an event when one is complete.
    public mutating func receive(_ frame: WebSocketFrame) throws(WebSocketProtocolError) -> WebSocketEvent? {
        incompleteFrameCheck = nil
        if frame.opcode.isControl {
            if frame.rsv1 { throw .protocolError("RSV1 set on a control frame") }
            switch frame.opcode {
            case .ping: return .ping(frame.payload)
            case .pong: return .pong(frame.payload)
            default: return .close(try WebSocketCloseFrame(payload: frame.payload))
            }
        }
        if frame.opcode == .continuation {
            guard current != nil else { throw .protocolError("continuation frame without a message") }
            if frame.rsv1 { throw .protocolError("RSV1 set on a continuation frame") }
        } else {
            guard current == nil else { throw .protocolError("new message before the previous one ended") }
            if frame.rsv1 && decompressor == nil { throw .protocolError("RSV1 set without permessage-deflate") }
            if frame.fin && !frame.rsv1 {
                return .message(try Self.singleFrameMessage(frame, maxMessageSize: maxMessageSize))
            }
            current = PartialMessage(isText: frame.opcode == .text, isCompressed: frame.rsv1,
                                     data: ByteBuffer(), validator: UTF8Validator())
        }
        try append(frame.payload, isFinal: frame.fin)
        guard frame.fin, let message = current else { return nil }
        current = nil
        if message.isCompressed && resetsDecompressor { decompressor?.reset() }
        if message.isText {
            guard message.validator.isComplete else { throw .invalidPayload("text message ends inside a UTF-8 sequence") }
            return .message(.text(String(buffer: message.data)))
        }
        return .message(.binary(message.data))
    }

    private static func singleFrameMessage(
        _ frame: WebSocketFrame, maxMessageSize: Int
    ) throws(WebSocketProtocolError) -> WebSocketMessage {
        if frame.payload.readableBytes > maxMessageSize { throw .tooBig("message larger than \(maxMessageSize) bytes") }
        guard frame.opcode == .text else { return .binary(frame.payload) }
        var validator = UTF8Validator()
        let valid = frame.payload.withUnsafeReadableBytes { validator.validate($0) } && validator.isComplete
        guard valid else { throw .invalidPayload("text message is not UTF-8") }
        return .text(String(buffer: frame.payload))
    }

    private mutating func append(_ payload: ByteBuffer, isFinal: Bool) throws(WebSocketProtocolError) {
        guard var message = current else { return }
        current = nil  // keeps `message.data` uniquely referenced while it grows
        let before = message.data.readableBytes
        if message.isCompressed, let decompressor {
            try decompressor.decompress(payload, isFinal: isFinal, into: &message.data, limit: maxMessageSize)
        } else {
            if message.data.readableBytes + payload.readableBytes > maxMessageSize {
                throw .tooBig("message larger than \(maxMessageSize) bytes")
            }
            if message.data.readableBytes == 0 {
                message.data = payload
            } else {
                message.data.writeImmutableBuffer(payload)
            }
        }
        if message.isText {
            var validator = message.validator
            let valid = message.data.withUnsafeReadableBytes { all in
                validator.validate(UnsafeRawBufferPointer(rebasing: all[before...]))
            }
            message.validator = validator
            guard valid else { throw .invalidPayload("text message is not UTF-8") }
        }
        current = message
    }
}
