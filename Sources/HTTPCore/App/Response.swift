import NIOCore

/// One HTTP response: status, headers and a body that is either complete or streamed.
public struct Response: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ResponseBody
    /// Set on a 101 response to take over the connection (see `HTTPUpgrade`).
    public var upgrade: HTTPUpgrade?

    public init(status: HTTPResponseStatus = .ok, headers: HTTPHeaders = [:], body: ResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
        self.upgrade = nil
    }
}

/// A response body: bytes known up front (sent with Content-Length) or a stream of chunks
/// (sent with chunked transfer coding).
public enum ResponseBody: Sendable {
    case bytes(ByteBuffer)
    case stream(@Sendable (any ResponseBodyWriter) async throws -> Void)

    public static var empty: ResponseBody { .bytes(ByteBuffer()) }
}

/// Where a streamed response body writes its chunks; `write` waits while the client is slow
/// (backpressure).
public protocol ResponseBodyWriter: Sendable {
    func write(_ chunk: ByteBuffer) async throws
}
