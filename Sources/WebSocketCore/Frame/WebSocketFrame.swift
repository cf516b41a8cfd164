import NIOCore

/// One WebSocket frame with its payload already unmasked.
public struct WebSocketFrame: Sendable, Equatable {
    /// Whether this is the final fragment of a message.
    public var fin: Bool
    /// RSV1: set on the first frame of a compressed message when permessage-deflate is in use.
    public var rsv1: Bool
    /// RSV2: no negotiated extension uses it; a received frame with it set is a protocol error.
    public var rsv2: Bool
    /// RSV3: no negotiated extension uses it; a received frame with it set is a protocol error.
    public var rsv3: Bool
    /// The frame type.
    public var opcode: WebSocketOpcode
    /// The application data (unmasked).
    public var payload: ByteBuffer

    /// A frame; by default final, without RSV bits and with an empty payload.
    public init(
        fin: Bool = true,
        rsv1: Bool = false,
        rsv2: Bool = false,
        rsv3: Bool = false,
        opcode: WebSocketOpcode,
        payload: ByteBuffer = ByteBuffer()
    ) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.payload = payload
    }
}
