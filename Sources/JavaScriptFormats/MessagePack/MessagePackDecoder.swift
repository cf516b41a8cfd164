/// Reads one MessagePack value from bytes, bounded on hostile input: nesting is limited to
/// `maxDepth`, and every length or element count is checked against the bytes that remain before
/// anything is allocated (an element takes at least one byte), so memory stays proportional to the
/// input.
///
/// Strings are read as UTF-8, invalid sequences becoming U+FFFD as Node's `Buffer#toString` does.
public struct MessagePackDecoder: Sendable {
    /// How deep arrays and maps may nest (default 100).
    public var maxDepth: Int

    /// A decoder allowing `maxDepth` levels of arrays and maps.
    public init(maxDepth: Int = 100) {
        self.maxDepth = maxDepth
    }

    /// The value `bytes` hold; bytes after it are an error.
    public func decode(_ bytes: some Collection<UInt8>) throws(MessagePackError) -> MessagePackValue {
        var reader = Reader(bytes: Array(bytes), maxDepth: maxDepth)
        let value = try reader.value(depth: 0)
        guard reader.offset == reader.bytes.count else { throw .trailingBytes(at: reader.offset) }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        let maxDepth: Int
        var offset = 0

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        var remaining: Int { bytes.count - offset }

        mutating func value(depth: Int) throws(MessagePackError) -> MessagePackValue {
            let start = offset
            let head = try byte()
            switch head {
            case 0x00...0x7f: return .uint(UInt64(head))
            case 0x80...0x8f: return try map(count: Int(head & 0x0f), depth: depth, start: start)
            case 0x90...0x9f: return try array(count: Int(head & 0x0f), depth: depth, start: start)
            case 0xa0...0xbf: return try string(length: Int(head & 0x1f))
            case 0xc0: return .null
            case 0xc1: throw .reservedByte(head, at: start)
            case 0xc2: return .bool(false)
            case 0xc3: return .bool(true)
            case 0xc4, 0xc5, 0xc6: return .binary(try take(Int(try unsigned(size: 1 << (head - 0xc4)))))
            case 0xc7, 0xc8, 0xc9:
                let length = Int(try unsigned(size: 1 << (head - 0xc7)))
                return try ext(length: length)
            case 0xca: return .float32(Float(bitPattern: UInt32(try unsigned(size: 4))))
            case 0xcb: return .float64(Double(bitPattern: try unsigned(size: 8)))
            case 0xcc, 0xcd, 0xce, 0xcf: return .uint(try unsigned(size: 1 << (head - 0xcc)))
            case 0xd0, 0xd1, 0xd2, 0xd3:
                let size = 1 << (head - 0xd0)
                let raw = try unsigned(size: size)
                let shift = UInt64(64 - size * 8)
                return .int(Int64(bitPattern: raw << shift) >> Int64(shift))
            case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: return try ext(length: 1 << (head - 0xd4), fixed: true)
            case 0xd9, 0xda, 0xdb: return try string(length: Int(try unsigned(size: 1 << (head - 0xd9))))
            case 0xdc, 0xdd: return try array(count: Int(try unsigned(size: head == 0xdc ? 2 : 4)), depth: depth, start: start)
            case 0xde, 0xdf: return try map(count: Int(try unsigned(size: head == 0xde ? 2 : 4)), depth: depth, start: start)
            default: return .int(Int64(Int8(bitPattern: head)))
            }
        }

        private mutating func byte() throws(MessagePackError) -> UInt8 {
            guard offset < bytes.count else { throw .truncated(at: offset) }
            defer { offset += 1 }
            return bytes[offset]
        }

        private mutating func unsigned(size: Int) throws(MessagePackError) -> UInt64 {
            guard remaining >= size else { throw .truncated(at: offset) }
            var result: UInt64 = 0
            for index in offset..<offset + size { result = result << 8 | UInt64(bytes[index]) }
            offset += size
            return result
        }

        private mutating func take(_ count: Int) throws(MessagePackError) -> [UInt8] {
            guard count <= remaining else { throw .truncated(at: offset) }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        private mutating func string(length: Int) throws(MessagePackError) -> MessagePackValue {
            .string(String(decoding: try take(length), as: UTF8.self))
        }

        private mutating func ext(length: Int, fixed: Bool = false) throws(MessagePackError) -> MessagePackValue {
            guard length < remaining else { throw .truncated(at: offset) }
            let type = Int8(bitPattern: try byte())
            let data = try take(length)
            if fixed && type == 0 && data == [0] { return .undefined }
            if fixed && type == 0 && length == 8 {
                return .date(milliseconds: Int64(bitPattern: data.reduce(0) { $0 << 8 | UInt64($1) }))
            }
            return .ext(type: type, data: data)
        }

        private mutating func array(count: Int, depth: Int, start: Int) throws(MessagePackError) -> MessagePackValue {
            guard depth < maxDepth else { throw .tooDeep(at: start) }
            guard count <= remaining else { throw .truncated(at: offset) }
            var items: [MessagePackValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try value(depth: depth + 1)) }
            return .array(items)
        }

        private mutating func map(count: Int, depth: Int, start: Int) throws(MessagePackError) -> MessagePackValue {
            guard depth < maxDepth else { throw .tooDeep(at: start) }
            guard count <= remaining / 2 else { throw .truncated(at: offset) }
            var members = JSONObject<MessagePackValue>()
            members.reserveCapacity(count)
            for _ in 0..<count {
                let keyOffset = offset
                guard case .string(let key) = try value(depth: depth + 1) else { throw .nonStringKey(at: keyOffset) }
                members[key] = try value(depth: depth + 1)
            }
            return .map(members)
        }
    }
}
