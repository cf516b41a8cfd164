import CHiredis

/// Formats commands into RESP request bytes with hiredis' `redisFormatCommandArgv`.
///
/// A pure value: no sockets, no state. Binary-safe: every argument is sent as a bulk string.
public struct RESPCommandEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Returns the RESP encoding of `arguments` (the command name first), e.g.
    /// `*2\r\n$3\r\nGET\r\n$1\r\nk\r\n` for `["GET", "k"]`.
    public func encode(_ arguments: [[UInt8]]) -> [UInt8] {
        precondition(!arguments.isEmpty, "a Redis command needs at least its name")
        var flat: [UInt8] = []
        flat.reserveCapacity(arguments.reduce(0) { $0 + $1.count })
        var offsets: [Int] = []
        offsets.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(flat.count)
            flat.append(contentsOf: argument)
        }
        // hiredis reads each argument through a pointer; a zero-length array still needs a valid one.
        flat.append(0)
        let lengths = arguments.map { $0.count }
        return flat.withUnsafeBufferPointer { storage -> [UInt8] in
            storage.withMemoryRebound(to: CChar.self) { chars -> [UInt8] in
                let base = chars.baseAddress!
                var argv: [UnsafePointer<CChar>?] = offsets.map { UnsafePointer(base + $0) }
                var target: UnsafeMutablePointer<CChar>? = nil
                let length = argv.withUnsafeMutableBufferPointer { argvBuffer in
                    lengths.withUnsafeBufferPointer { lengthBuffer in
                        redisFormatCommandArgv(&target, Int32(arguments.count), argvBuffer.baseAddress, lengthBuffer.baseAddress)
                    }
                }
                guard length >= 0, let target else {
                    fatalError("redisFormatCommandArgv failed: out of memory")
                }
                defer { redisFreeCommand(target) }
                return target.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                    Array(UnsafeBufferPointer(start: $0, count: Int(length)))
                }
            }
        }
    }
}
