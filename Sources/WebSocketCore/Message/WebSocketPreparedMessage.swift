import NIOCore

/// A data message framed once, to be written to many connections (a broadcast): each
/// connection without permessage-deflate writes the same encoded bytes, shared, instead of
/// converting and framing the message again. Connections that compress use `message`.
public struct WebSocketPreparedMessage: Sendable, Equatable {
    /// The message itself (for connections that must compress it).
    public let message: WebSocketMessage
    /// The opcode of its frame (`.text` or `.binary`).
    let opcode: WebSocketOpcode
    /// Its payload bytes.
    let payload: ByteBuffer
    /// One final, unmasked, uncompressed frame carrying it: header and payload.
    let frame: ByteBuffer

    /// Frames a text message.
    public init(text: String) {
        self.init(message: .text(text), opcode: .text, payload: ByteBuffer(string: text))
    }

    /// Frames a binary message.
    public init(binary: ByteBuffer) {
        self.init(message: .binary(binary), opcode: .binary, payload: binary)
    }

    /// Frames a message.
    public init(_ message: WebSocketMessage) {
        switch message {
        case .text(let text): self.init(text: text)
        case .binary(let bytes): self.init(binary: bytes)
        }
    }

    private init(message: WebSocketMessage, opcode: WebSocketOpcode, payload: ByteBuffer) {
        self.message = message
        self.opcode = opcode
        self.payload = payload
        frame = WebSocketFrameEncoder.encode(WebSocketFrame(opcode: opcode, payload: payload))
    }
}
