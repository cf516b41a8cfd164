import HTTPCore
import NIOCore

extension Request {
    /// A copy that keeps no reference to the connection's read buffer: the parser's header
    /// fields are slices of the buffer the request arrived in (often kilobytes), which a
    /// request kept for a connection's whole life — a WebSocket's, a Socket.IO session's —
    /// would pin. Fields, body and extensions are unchanged; `connection` is dropped (it tells
    /// about the HTTP exchange, which is over once the request is kept beyond it).
    public func compacted() -> Request {
        var copy = self
        copy.connection = nil
        copy.head.headers = HTTPHeaders(head.headers.map { ($0.name, $0.value) })
        copy.body = body.readableBytes == 0 ? ByteBuffer() : ByteBuffer(bytes: body.readableBytesView)
        return copy
    }
}
