import CZlib
import NIOCore

/// A raw-inflate decompressor for permessage-deflate (RFC 7692 §7.2.2), fed a message frame by
/// frame, with a limit on the decompressed size as zip-bomb defence.
///
/// Not Sendable: it owns a zlib stream that must only be used from one thread at a time.
final class ZlibDecompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    /// A decompressor with a 32 KiB window, which reads data compressed with any smaller window.
    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let result = inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(result == Z_OK, "inflateInit2 failed: \(result)")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Forgets the window (for client_no_context_takeover).
    func reset() {
        inflateReset(stream)
    }

    /// Inflates one frame's payload into `output`; with `isFinal` also the `00 00 ff ff` tail
    /// that the sender removed. Throws 1009 as soon as `output` would exceed `limit` bytes, and
    /// 1007 when the data is not valid deflate.
    func decompress(
        _ input: ByteBuffer, isFinal: Bool, into output: inout ByteBuffer, limit: Int
    ) throws(WebSocketProtocolError) {
        if let failure = input.withUnsafeReadableBytes({ inflate($0, into: &output, limit: limit) }) {
            throw failure
        }
        if isFinal, let failure = Self.tail.withUnsafeBytes({ inflate($0, into: &output, limit: limit) }) {
            throw failure
        }
    }

    /// Inflates `source` into `output`; the error that stopped it, if any.
    private func inflate(
        _ source: UnsafeRawBufferPointer, into output: inout ByteBuffer, limit: Int
    ) -> WebSocketProtocolError? {
        guard let base = source.baseAddress, source.count > 0 else { return nil }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(source.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        var failure: WebSocketProtocolError?
        while failure == nil {
            let room = limit - output.readableBytes
            let chunk = max(4096, min(source.count * 4, 1 << 20))
            var result: Int32 = Z_OK
            _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: chunk) { destination in
                stream.pointee.next_out = destination.baseAddress!.assumingMemoryBound(to: Bytef.self)
                // One byte more than allowed, to notice an overflow.
                let capacity = min(destination.count, max(0, room) + 1)
                stream.pointee.avail_out = uInt(capacity)
                result = CZlib.inflate(stream, Z_SYNC_FLUSH)
                return capacity - Int(stream.pointee.avail_out)
            }
            if output.readableBytes > limit {
                failure = .tooBig("decompressed message larger than \(limit) bytes")
                break
            }
            switch result {
            case Z_OK:
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return nil }
            case Z_BUF_ERROR:
                if stream.pointee.avail_in == 0 { return nil }
            case Z_STREAM_END:
                // The sender ended the deflate stream (BFINAL); start a new one for what follows.
                inflateReset(stream)
                if stream.pointee.avail_in == 0 { return nil }
            default:
                failure = .invalidPayload("invalid deflate data")
            }
        }
        return failure
    }
}
