import CZlib
import NIOCore

/// Compression of polling responses, as engine.io's `httpCompression` (on by default, threshold
/// 1024 bytes): a response body of at least `threshold` bytes is sent gzip- or deflate-encoded
/// (`Content-Encoding`) when the request's `Accept-Encoding` allows one of them; smaller bodies,
/// and requests that accept neither, get the body as it is.
public struct EngineIOHTTPCompression: Sendable, Hashable {
    /// The smallest body, in bytes, that is compressed. Default 1024.
    public var threshold: Int

    /// Settings with engine.io's default threshold, 1024 bytes.
    public init(threshold: Int = 1024) {
        self.threshold = threshold
    }

    /// The content codings this server produces, in its order of preference.
    public enum Encoding: String, Sendable, Hashable, CaseIterable {
        /// RFC 1952 gzip.
        case gzip
        /// RFC 1950 zlib-wrapped deflate (what Node's `zlib.createDeflate` writes).
        case deflate
    }

    /// The coding to answer with for an `Accept-Encoding` header: the acceptable one with the
    /// highest quality (`q=0` refuses; `*` stands for any coding not named), gzip first on ties;
    /// nil when the header is absent or accepts neither.
    public static func encoding(forAcceptEncoding header: String?) -> Encoding? {
        guard let header else { return nil }
        var qualities: [String: Double] = [:]
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let name = parts.first.map({ trimmed($0).lowercased() }), !name.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, trimmed(pair[0]).lowercased() == "q" {
                    quality = Double(trimmed(pair[1])) ?? 0
                }
            }
            qualities[name] = quality
        }
        var best: (Encoding, Double)?
        for encoding in Encoding.allCases {
            guard let quality = qualities[encoding.rawValue] ?? qualities["*"], quality > 0 else { continue }
            if best == nil || quality > best!.1 { best = (encoding, quality) }
        }
        return best?.0
    }

    /// `body` compressed whole with `encoding`.
    public static func compress(_ body: ByteBuffer, with encoding: Encoding) -> ByteBuffer {
        // zlib keeps the stream's address: it must not move between calls.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let windowBits: Int32 = encoding == .gzip ? 15 + 16 : 15
        let initialized = deflateInit2_(
            stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(initialized == Z_OK, "deflateInit2 failed: \(initialized)")
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        var output = ByteBufferAllocator().buffer(capacity: Int(deflateBound(stream, uLong(body.readableBytes))) + 32)
        body.withUnsafeReadableBytes { source in
            stream.pointee.next_in = source.baseAddress.map {
                UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
            }
            stream.pointee.avail_in = uInt(source.count)
            var result = Z_OK
            repeat {
                _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: 256) { destination in
                    stream.pointee.next_out = destination.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(destination.count)
                    result = deflate(stream, Z_FINISH)
                    precondition(
                        result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR, "deflate failed: \(result)")
                    return destination.count - Int(stream.pointee.avail_out)
                }
            } while result != Z_STREAM_END
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        return output
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
