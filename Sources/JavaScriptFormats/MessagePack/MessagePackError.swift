/// Why bytes are not a MessagePack value ``MessagePackDecoder`` accepts.
public struct MessagePackError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case truncated
        case reservedByte(UInt8)
        case tooDeep
        case nonStringKey
        case trailingBytes
    }

    private let kind: Kind
    /// The byte offset at which decoding stopped.
    public let offset: Int

    /// The input ends inside a value, or a length or count exceeds what is left of it.
    public static func truncated(at offset: Int) -> MessagePackError { MessagePackError(kind: .truncated, offset: offset) }
    /// `0xc1`, the one byte MessagePack never uses.
    public static func reservedByte(_ byte: UInt8, at offset: Int) -> MessagePackError {
        MessagePackError(kind: .reservedByte(byte), offset: offset)
    }
    /// Arrays and maps nest deeper than the decoder's limit.
    public static func tooDeep(at offset: Int) -> MessagePackError { MessagePackError(kind: .tooDeep, offset: offset) }
    /// A map key that is not a string.
    public static func nonStringKey(at offset: Int) -> MessagePackError { MessagePackError(kind: .nonStringKey, offset: offset) }
    /// Bytes follow the value.
    public static func trailingBytes(at offset: Int) -> MessagePackError { MessagePackError(kind: .trailingBytes, offset: offset) }

    /// A short reason.
    public var description: String {
        switch kind {
        case .truncated: "MessagePack: truncated at byte \(offset)"
        case .reservedByte(let byte): "MessagePack: reserved byte 0x\(String(byte, radix: 16)) at \(offset)"
        case .tooDeep: "MessagePack: nested too deep at byte \(offset)"
        case .nonStringKey: "MessagePack: map key at byte \(offset) is not a string"
        case .trailingBytes: "MessagePack: trailing bytes at \(offset)"
        }
    }
}
