/// The opcode of a WebSocket frame (RFC 6455 §5.2), a 4-bit value.
public struct WebSocketOpcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The 4-bit opcode value (0–15).
    public let rawValue: UInt8

    /// Creates an opcode from its 4-bit value; nil for values above 15.
    public init?(rawValue: UInt8) {
        guard rawValue < 16 else { return nil }
        self.rawValue = rawValue
    }

    private init(_ value: UInt8) { rawValue = value }

    /// 0x0: a continuation fragment of a message.
    public static let continuation = WebSocketOpcode(0x0)
    /// 0x1: the first frame of a text message (UTF-8).
    public static let text = WebSocketOpcode(0x1)
    /// 0x2: the first frame of a binary message.
    public static let binary = WebSocketOpcode(0x2)
    /// 0x8: close (control frame).
    public static let close = WebSocketOpcode(0x8)
    /// 0x9: ping (control frame); the peer answers with a pong.
    public static let ping = WebSocketOpcode(0x9)
    /// 0xA: pong (control frame).
    public static let pong = WebSocketOpcode(0xA)

    /// Whether this is a control opcode (close, ping, pong and the reserved 0xB–0xF).
    public var isControl: Bool { rawValue & 0x8 != 0 }

    /// Whether RFC 6455 defines this opcode (the others are reserved and a protocol error).
    public var isDefined: Bool {
        switch rawValue {
        case 0x0, 0x1, 0x2, 0x8, 0x9, 0xA: true
        default: false
        }
    }

    /// The opcode's name, or `reserved(n)` for an undefined one.
    public var description: String {
        switch rawValue {
        case 0x0: "continuation"
        case 0x1: "text"
        case 0x2: "binary"
        case 0x8: "close"
        case 0x9: "ping"
        case 0xA: "pong"
        default: "reserved(\(rawValue))"
        }
    }
}
