import NIOCore

/// Engine.IO server settings.
public struct EngineIOConfiguration: Sendable, Hashable {
    /// How often the server sends a ping. Default 25 s.
    public var pingInterval: TimeAmount
    /// How long the server waits for the pong before closing with `"ping timeout"`. Default 20 s.
    public var pingTimeout: TimeAmount
    /// Largest accepted POST body or WebSocket message, in bytes. Default 1,000,000.
    public var maxPayload: Int
    /// How long a probing WebSocket may take to send the upgrade packet. Default 10 s.
    public var upgradeTimeout: TimeAmount
    /// Whether polling sessions may upgrade to WebSocket (advertised in the handshake). Default true.
    public var allowUpgrades: Bool
    /// Whether Engine.IO v3 clients (`EIO=3`: socket.io 2.x, Socket.IO protocol 4) are served, as
    /// engine.io's `allowEIO3`. Default false: their handshake is refused with 400
    /// `{"code":5,"message":"Unsupported protocol version"}`.
    public var allowEIO3: Bool

    /// Settings with Engine.IO's defaults, each overridable.
    public init(
        pingInterval: TimeAmount = .seconds(25),
        pingTimeout: TimeAmount = .seconds(20),
        maxPayload: Int = 1_000_000,
        upgradeTimeout: TimeAmount = .seconds(10),
        allowUpgrades: Bool = true,
        allowEIO3: Bool = false
    ) {
        self.allowEIO3 = allowEIO3
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
        self.upgradeTimeout = upgradeTimeout
        self.allowUpgrades = allowUpgrades
    }
}
