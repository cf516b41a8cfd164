import JavaScriptFormats
import NIOCore

/// A JSON value that can also hold binary data: the arguments of Socket.IO events and acks.
///
/// Binary values are `.attachment(ByteBuffer)` leaves, wherever the application put
/// them; they never appear in JSON text: the packet encoder replaces each with
/// `{"_placeholder":true,"num":N}` and sends the bytes as separate attachments.
public typealias SocketIOValue = JSONTree<ByteBuffer>

/// A JSON object of `SocketIOValue`s, keys in JavaScript order.
public typealias SocketIOObject = JSONObject<SocketIOValue>

extension JSONTree where Attachment == ByteBuffer {
    /// The value serialized as `JSON.stringify` would; binary values, which only the packet
    /// encoder can send, are written as the invalid placeholder `{"_placeholder":true,"num":-1}`.
    public var jsonString: String {
        var writer = JSONWriter()
        writer.write(self) { _, writer in writer.append(#"{"_placeholder":true,"num":-1}"#) }
        return writer.string
    }
}
