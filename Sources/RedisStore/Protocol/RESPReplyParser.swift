import CHiredis

/// Turns bytes read from a Redis connection into `RESPValue`s with a hiredis reader.
///
/// Feed it whatever the socket produced (any split, any number of replies at once) and pull the
/// complete replies with `next()`. The hiredis reader is not thread-safe: an instance belongs to
/// one owner (in the client, one channel's event loop) and is neither `Sendable` nor shared.
public final class RESPReplyParser {
    private let reader: UnsafeMutablePointer<redisReader>

    /// Creates a parser with an empty buffer.
    public init() {
        guard let reader = redisReaderCreate() else {
            fatalError("redisReaderCreate failed: out of memory")
        }
        self.reader = reader
    }

    deinit {
        redisReaderFree(reader)
    }

    /// Appends received bytes. Throws a protocol error if the reader is already broken.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws(RedisError) {
        guard bytes.count > 0 else { return }
        let status = redisReaderFeed(reader, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.count)
        if status != REDIS_OK { throw .protocolViolation(readerError()) }
    }

    /// Appends received bytes.
    public func feed(_ bytes: [UInt8]) throws(RedisError) {
        var failure: RedisError?
        bytes.withUnsafeBytes { buffer in
            do throws(RedisError) { try self.feed(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Returns the next complete reply, or `nil` when more bytes are needed.
    /// Throws a protocol error on malformed input; the parser is unusable afterwards.
    public func next() throws(RedisError) -> RESPValue? {
        var raw: UnsafeMutableRawPointer? = nil
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else {
            throw .protocolViolation(readerError())
        }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return Self.value(of: raw.assumingMemoryBound(to: redisReply.self))
    }

    private func readerError() -> String {
        withUnsafeBytes(of: reader.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func value(of reply: UnsafeMutablePointer<redisReply>) -> RESPValue {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(node.str, node.len))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: bytes(node.str, node.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(node.str, node.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(node.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RESPValue] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                if let child = node.element[index] { elements.append(value(of: child)) }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }
}
