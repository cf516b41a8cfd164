/// How the bytes of a response body follow its head on the wire.
public enum HTTPResponseFraming: Sendable, Equatable {
    /// No body bytes follow (HEAD requests, 1xx, 204 and 304 responses).
    case none
    /// Exactly this many bytes follow.
    case contentLength(Int)
    /// The body follows in chunked transfer coding and ends with the last chunk.
    case chunked
    /// Raw bytes follow until the connection closes (a streamed body to an HTTP/1.0 client).
    case untilClose
}

/// What the serializer decided while writing a response head.
public struct HTTPResponseHeadResult: Sendable, Equatable {
    /// How the body must be written after the head.
    public var framing: HTTPResponseFraming
    /// Whether the connection stays open after this response.
    public var keepAlive: Bool

    /// The serializer's decision for one response head.
    public init(framing: HTTPResponseFraming, keepAlive: Bool) {
        self.framing = framing
        self.keepAlive = keepAlive
    }
}

/// What the serializer needs to know about the request a response answers.
public struct HTTPResponseContext: Sendable {
    /// The request's method (`HEAD` responses carry no body).
    public var requestMethod: HTTPMethod
    /// The request's version (HTTP/1.0 gets no chunked coding and an explicit keep-alive).
    public var requestVersion: HTTPVersion
    /// Whether both the request and the server want the connection kept open.
    public var keepAlive: Bool

    /// The facts about the request that a response answers.
    public init(requestMethod: HTTPMethod, requestVersion: HTTPVersion, keepAlive: Bool) {
        self.requestMethod = requestMethod
        self.requestVersion = requestVersion
        self.keepAlive = keepAlive
    }
}
