import JavaScriptFormats
import NIOCore

extension ByteBuffer {
    /// The bytes of standard-alphabet base64 `text`, padded or not (Engine.IO's `b` packets and
    /// the Redis adapter's binary values); nil when `text` is not strict base64.
    init?(base64 text: UnsafeRawBufferPointer) {
        guard let count = Base64.decodedCount(text, padding: .optional) else { return nil }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(count)
        let decoded = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { output in
            Base64.decode(text, into: UnsafeMutableRawBufferPointer(rebasing: output[0..<count])) ? count : 0
        }
        guard decoded == count else { return nil }
        self = buffer
    }

    /// Appends the padded base64 text of the readable bytes to `output`.
    func appendBase64(to output: inout [UInt8]) {
        withUnsafeReadableBytes { Base64.encode($0, into: &output) }
    }
}
