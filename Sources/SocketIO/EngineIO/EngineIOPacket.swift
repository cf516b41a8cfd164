import NIOCore

/// The Engine.IO v4 packet types, with their wire digit.
public enum EngineIOPacketType: UInt8, Hashable, Sendable, CaseIterable {
    /// `0`: the handshake, carrying `EngineIOHandshake` JSON.
    case open = 0
    /// `1`: the transport is closing.
    case close = 1
    /// `2`: heartbeat request (sent by the server in v4; `2probe` during upgrade).
    case ping = 2
    /// `3`: heartbeat answer (`3probe` during upgrade).
    case pong = 3
    /// `4`: application data (a Socket.IO packet).
    case message = 4
    /// `5`: the client switches to the probed transport.
    case upgrade = 5
    /// `6`: an empty packet used to end a pending poll during upgrade.
    case noop = 6

    /// The ASCII digit that starts this packet on the wire.
    public var wireByte: UInt8 { UInt8(ascii: "0") + rawValue }
}

/// The data of an Engine.IO packet: text (possibly empty), or binary (message packets only).
public enum EngineIOData: Hashable, Sendable {
    /// UTF-8 text.
    case text(String)
    /// Raw bytes.
    case binary(ByteBuffer)
}

/// One Engine.IO packet.
public struct EngineIOPacket: Hashable, Sendable {
    /// The packet type.
    public var type: EngineIOPacketType
    /// The data after the type; `.text("")` when there is none.
    public var data: EngineIOData

    /// A packet with text data (empty by default).
    public init(_ type: EngineIOPacketType, _ text: String = "") {
        self.type = type
        self.data = .text(text)
    }

    /// A packet with explicit data.
    public init(type: EngineIOPacketType, data: EngineIOData) {
        self.type = type
        self.data = data
    }

    /// A binary message packet.
    public static func binaryMessage(_ bytes: ByteBuffer) -> EngineIOPacket {
        EngineIOPacket(type: .message, data: .binary(bytes))
    }

    /// `2probe`, the client's upgrade probe.
    public static let probePing = EngineIOPacket(.ping, "probe")
    /// `3probe`, the server's answer to the probe.
    public static let probePong = EngineIOPacket(.pong, "probe")

    /// The payload size as counted against maxPayload: bytes of the encoded text or binary data.
    var encodedSize: Int {
        switch data {
        case .text(let text): return 1 + text.utf8.count
        case .binary(let bytes): return bytes.readableBytes
        }
    }
}
