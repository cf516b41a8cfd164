import NIOCore

/// One HTTP response: status, headers and a body that is either complete or streamed.
public struct Response: Sendable {
    /// The status line's code and reason phrase. Default `200 OK`.
    public var status: HTTPResponseStatus
    /// Response header fields. The serializer sets `Content-Length`, `Transfer-Encoding`,
    /// `Connection` and `Date` itself (see `HTTPResponseSerializer`).
    public var headers: HTTPHeaders
    /// The body: complete bytes or a stream. Default empty.
    public var body: ResponseBody
    /// Set on a 101 response to take over the connection (see `HTTPUpgrade`).
    public var upgrade: HTTPUpgrade?
    /// The pattern of the route that answered, with its mount prefixes (e.g. `/api/users/:id`),
    /// set by the router; nil when no route answered (a middleware, a 404). Metrics label
    /// requests with it, never with the raw path.
    public internal(set) var matchedRoute: String?

    /// A response with the given status, headers and body (no upgrade).
    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: ResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
        self.upgrade = nil
        self.matchedRoute = nil
    }
}

/// A response body: bytes known up front (sent with Content-Length) or a stream of chunks
/// (sent with chunked transfer coding).
public enum ResponseBody: Sendable {
    /// The whole body, sent with `Content-Length`.
    case bytes(ByteBuffer)
    /// A body produced by the closure chunk by chunk while the response is sent; it goes out with
    /// `Transfer-Encoding: chunked` (or raw until close to an HTTP/1.0 client).
    case stream(@Sendable (any ResponseBodyWriter) async throws -> Void)

    /// No body bytes (`Content-Length: 0`).
    public static var empty: ResponseBody { .bytes(ByteBuffer()) }
}

/// Where a streamed response body writes its chunks; `write` waits while the client is slow
/// (backpressure).
public protocol ResponseBodyWriter: Sendable {
    /// Sends `chunk` as the next piece of the body; suspends while the connection is not writable
    /// and throws when the connection has closed.
    func write(_ chunk: ByteBuffer) async throws
}
