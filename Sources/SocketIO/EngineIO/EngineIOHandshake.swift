import JavaScriptFormats

/// The data of the open packet: `{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}`.
public struct EngineIOHandshake: Hashable, Sendable {
    /// The session id.
    public var sid: String
    /// Transports the client may upgrade to (`["websocket"]` on polling, `[]` on websocket).
    public var upgrades: [String]
    /// Ping interval in milliseconds.
    public var pingInterval: Int64
    /// Ping timeout in milliseconds.
    public var pingTimeout: Int64
    /// Maximum payload in bytes.
    public var maxPayload: Int

    /// A handshake with explicit values.
    public init(sid: String, upgrades: [String], pingInterval: Int64, pingTimeout: Int64, maxPayload: Int) {
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
    }

    /// The handshake a session opened on `transport` announces under `configuration`.
    public init(sid: String, transport: EngineIOTransport, configuration: EngineIOConfiguration) {
        self.init(
            sid: sid,
            upgrades: transport == .polling && configuration.allowUpgrades ? ["websocket"] : [],
            pingInterval: configuration.pingInterval.nanoseconds / 1_000_000,
            pingTimeout: configuration.pingTimeout.nanoseconds / 1_000_000,
            maxPayload: configuration.maxPayload
        )
    }

    /// The JSON text, keys in the order the reference server writes them.
    public var json: String {
        var writer = JSONWriter(capacity: 128)
        writer.append(#"{"sid":"#)
        writer.writeString(sid)
        writer.append(#","upgrades":["#)
        for (index, upgrade) in upgrades.enumerated() {
            if index > 0 { writer.append(UInt8(ascii: ",")) }
            writer.writeString(upgrade)
        }
        writer.append(#"],"pingInterval":"#)
        writer.writeInteger(pingInterval)
        writer.append(#","pingTimeout":"#)
        writer.writeInteger(pingTimeout)
        writer.append(#","maxPayload":"#)
        writer.writeInteger(Int64(maxPayload))
        writer.append(UInt8(ascii: "}"))
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The open packet (`0` + JSON).
    public var packet: EngineIOPacket { EngineIOPacket(.open, json) }
}

/// The two Engine.IO transports.
public enum EngineIOTransport: String, Hashable, Sendable {
    /// HTTP long-polling (`transport=polling`).
    case polling
    /// WebSocket (`transport=websocket`).
    case websocket
}
