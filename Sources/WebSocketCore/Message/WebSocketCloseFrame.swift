import NIOCore

/// The payload of a close frame (RFC 6455 §5.5.1): an optional status code and a UTF-8 reason.
public struct WebSocketCloseFrame: Sendable, Equatable {
    /// The status code; nil when the frame had an empty payload.
    public var code: WebSocketCloseCode?
    /// The reason, at most 123 bytes of UTF-8 on the wire.
    public var reason: String

    /// A close frame with `code` (nil: empty payload) and `reason`.
    public init(code: WebSocketCloseCode?, reason: String = "") {
        self.code = code
        self.reason = reason
    }

    /// Parses a received close payload: empty, or a valid code (§7.4) and a UTF-8 reason.
    /// A one-byte payload or an invalid code is a protocol error (1002); a reason that is not
    /// UTF-8 is 1007.
    public init(payload: ByteBuffer) throws(WebSocketProtocolError) {
        var payload = payload
        switch payload.readableBytes {
        case 0:
            self.init(code: nil)
        case 1:
            throw .protocolError("close payload of one byte")
        default:
            let code = WebSocketCloseCode(rawValue: payload.readInteger(as: UInt16.self)!)
            guard code.isValidOnWire else { throw .protocolError("invalid close code \(code.rawValue)") }
            var validator = UTF8Validator()
            let valid = payload.withUnsafeReadableBytes { validator.validate($0) } && validator.isComplete
            guard valid else { throw .invalidPayload("close reason is not UTF-8") }
            self.init(code: code, reason: String(buffer: payload))
        }
    }

    /// The payload to send: the code and the reason truncated to fit a control frame (125 bytes)
    /// on a character boundary; empty when there is no code.
    public var payload: ByteBuffer {
        var buffer = ByteBuffer()
        guard let code else { return buffer }
        buffer.writeInteger(code.rawValue)
        let bytes = Array(reason.utf8)
        var end = min(bytes.count, 123)
        if end < bytes.count {
            // Cut before the character that the 123-byte limit would split.
            while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        }
        buffer.writeBytes(bytes[..<end])
        return buffer
    }
}
