/// The 4-byte key that masks a client-to-server frame (RFC 6455 §5.3).
public struct WebSocketMaskingKey: Sendable, Hashable {
    /// The four key bytes in wire order.
    public var bytes: (UInt8, UInt8, UInt8, UInt8)

    /// A key of these bytes, in wire order.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        bytes = (b0, b1, b2, b3)
    }

    /// A key from the system's random generator (what a client uses for each frame).
    public static func random() -> WebSocketMaskingKey {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt32
        return WebSocketMaskingKey(UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                                   UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24))
    }

    /// Equal when all four bytes are equal.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.bytes.0 == rhs.bytes.0 && lhs.bytes.1 == rhs.bytes.1 && lhs.bytes.2 == rhs.bytes.2 && lhs.bytes.3 == rhs.bytes.3
    }

    /// Hashes the four bytes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.0)
        hasher.combine(bytes.1)
        hasher.combine(bytes.2)
        hasher.combine(bytes.3)
    }

    /// The key as it applies from byte `offset` of a payload on.
    public func rotated(by offset: Int) -> WebSocketMaskingKey {
        WebSocketMaskingKey(self[offset], self[offset + 1], self[offset + 2], self[offset + 3])
    }

    /// The key repeated twice, in memory order, so that eight bytes are unmasked with one XOR.
    private var wideKey: UInt64 {
        withUnsafeBytes(of: (bytes.0, bytes.1, bytes.2, bytes.3, bytes.0, bytes.1, bytes.2, bytes.3)) {
            $0.loadUnaligned(as: UInt64.self)
        }
    }

    private subscript(index: Int) -> UInt8 {
        switch index & 3 {
        case 0: bytes.0
        case 1: bytes.1
        case 2: bytes.2
        default: bytes.3
        }
    }

    /// XORs `source` with the key (key byte 0 at source byte 0) into `destination`, eight bytes at
    /// a time. Masking and unmasking are the same operation; `source` and `destination` may be the
    /// same memory. `destination` must be at least as long as `source`.
    public func apply(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) {
        precondition(destination.count >= source.count)
        let count = source.count
        let key = wideKey
        var offset = 0
        while offset + 8 <= count {
            let word = source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            destination.storeBytes(of: word ^ key, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < count {
            destination[offset] = source[offset] ^ self[offset]
            offset += 1
        }
    }
}
