import NIOCore

/// Settings of a WebSocket endpoint: handshake choices and connection limits.
public struct WebSocketConfiguration: Sendable {
    /// The largest frame payload accepted, in bytes (default 1 MiB); bigger frames close the
    /// connection with 1009.
    public var maxFrameSize: Int
    /// The largest message accepted, in bytes after decompression (default 1 MiB); bigger
    /// messages close the connection with 1009.
    public var maxMessageSize: Int
    /// Subprotocols the server speaks; the first one in the client's order that is listed here is
    /// selected (default none).
    public var subprotocols: [String]
    /// permessage-deflate settings, or nil to decline compression (default nil).
    public var compression: PerMessageDeflateConfiguration?
    /// Which origins may connect (default: same origin; requests without `Origin` allowed).
    public var originPolicy: WebSocketOriginPolicy
    /// Automatic pings (default: every 30 s of silence, closing after 30 s without an answer).
    public var autoPing: AutoPing
    /// How long to wait for the peer's close frame after sending ours (default 10 s).
    public var closeTimeout: TimeAmount
    /// How many received messages are buffered before reading from the socket pauses
    /// (default 16).
    public var inboundBufferSize: Int

    /// A configuration with the documented defaults, changed by the arguments given.
    public init(
        maxFrameSize: Int = 1 << 20,
        maxMessageSize: Int = 1 << 20,
        subprotocols: [String] = [],
        compression: PerMessageDeflateConfiguration? = nil,
        originPolicy: WebSocketOriginPolicy = .sameOrigin(),
        autoPing: AutoPing = .enabled(interval: .seconds(30), timeout: .seconds(30)),
        closeTimeout: TimeAmount = .seconds(10),
        inboundBufferSize: Int = 16
    ) {
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.subprotocols = subprotocols
        self.compression = compression
        self.originPolicy = originPolicy
        self.autoPing = autoPing
        self.closeTimeout = closeTimeout
        self.inboundBufferSize = inboundBufferSize
    }
}
