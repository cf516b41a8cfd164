import NIOCore

/// One piece of a request as `HTTPRequestParser.next()` delivers it: a head, zero or more body
/// chunks, then an end (with the trailer fields of a chunked body, if it had any).
public enum HTTPRequestPart: Sendable {
    /// The request line and header fields.
    case head(HTTPRequestHead)
    /// A non-empty piece of the (de-chunked) body.
    case body(ByteBuffer)
    /// The end of the request; `trailers` is nil unless a chunked body carried trailer fields.
    case end(trailers: HTTPHeaders?)
}
