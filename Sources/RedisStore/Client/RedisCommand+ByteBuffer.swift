import NIOCore

extension RedisCommand {
    /// The size of the command's RESP encoding in bytes.
    var encodedCount: Int {
        var count = 1 + Self.decimalCount(arguments.count) + 2
        for argument in arguments {
            count += 1 + Self.decimalCount(argument.count) + 2 + argument.count + 2
        }
        return count
    }

    /// Appends the command's RESP encoding (an array of bulk strings, as `RESPCommandEncoder`
    /// writes it) to `buffer`, without intermediate copies.
    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "*"))
        Self.writeDecimal(arguments.count, into: &buffer)
        buffer.writeStaticString("\r\n")
        for argument in arguments {
            buffer.writeInteger(UInt8(ascii: "$"))
            Self.writeDecimal(argument.count, into: &buffer)
            buffer.writeStaticString("\r\n")
            buffer.writeBytes(argument)
            buffer.writeStaticString("\r\n")
        }
    }

    /// The command encoded into a new buffer from `allocator`, sized exactly.
    func encoded(allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: encodedCount)
        write(into: &buffer)
        return buffer
    }

    private static func decimalCount(_ value: Int) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    private static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        if value < 10 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value))
            return
        }
        buffer.writeString(String(value))
    }
}
