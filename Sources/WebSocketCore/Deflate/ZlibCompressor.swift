import CZlib
import NIOCore

/// A raw-deflate compressor for permessage-deflate (RFC 7692 §7.2.1): each message is
/// compressed with a sync flush and the trailing `00 00 ff ff` removed.
///
/// Not Sendable: it owns a zlib stream that must only be used from one thread at a time (the
/// connection's event loop).
final class ZlibCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private let resetsAfterEachMessage: Bool

    /// - Parameters:
    ///   - windowBits: the LZ77 window (8–15). zlib refuses 8 for raw deflate, so 8 becomes 9.
    ///   - level: the zlib compression level (0–9, or -1 for zlib's default, 6).
    ///   - noContextTakeover: reset the window after every message.
    init(windowBits: Int, level: Int32 = Z_DEFAULT_COMPRESSION, memoryLevel: Int32 = 8, noContextTakeover: Bool) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        resetsAfterEachMessage = noContextTakeover
        let bits = Int32(max(9, min(15, windowBits)))
        let result = deflateInit2_(stream, level, Z_DEFLATED, -bits, memoryLevel, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(result == Z_OK, "deflateInit2 failed: \(result)")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses one whole message, without the final `00 00 ff ff`.
    func compress(_ input: ByteBuffer) -> ByteBuffer {
        var output = ByteBufferAllocator().buffer(capacity: Int(deflateBound(stream, uLong(input.readableBytes))) + 16)
        input.withUnsafeReadableBytes { source in
            stream.pointee.next_in = source.baseAddress.map {
                UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
            }
            stream.pointee.avail_in = uInt(source.count)
            repeat {
                _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: 64) { destination in
                    stream.pointee.next_out = destination.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(destination.count)
                    let result = deflate(stream, Z_SYNC_FLUSH)
                    precondition(result == Z_OK || result == Z_BUF_ERROR, "deflate failed: \(result)")
                    return destination.count - Int(stream.pointee.avail_out)
                }
            } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        if output.readableBytes >= 4 {
            output.moveWriterIndex(to: output.writerIndex - 4)
        }
        if output.readableBytes == 0 {
            // zlib emits nothing for a repeated flush without input; an empty stored block keeps
            // the peer's `payload + 00 00 ff ff` a valid deflate stream.
            output.writeInteger(UInt8(0))
        }
        if resetsAfterEachMessage {
            deflateReset(stream)
        }
        return output
    }
}
