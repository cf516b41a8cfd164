import NIOCore

/// One HTTP request as route handlers and middleware see it: the parsed head, the whole body
/// (collected up to the configured limit), route parameters and typed extensions that middleware
/// attach (such as the session).
public struct Request: Sendable {
    /// The request line and headers as parsed.
    public var head: HTTPRequestHead
    /// The request body; empty when the request had none.
    public var body: ByteBuffer
    /// Route parameters captured by `:name` and `*` segments of the matched route.
    public var parameters: [String: String]
    /// The peer's address, when known.
    public var remoteAddress: SocketAddress?
    /// Values attached by middleware, keyed by type.
    public var extensions: RequestExtensions
    /// Whether the client is still there: set by `HTTPServer` (nil for requests built elsewhere).
    public var connection: HTTPConnectionLifetime?

    /// A request; the server builds these, tests and embedders may too.
    public init(
        head: HTTPRequestHead,
        body: ByteBuffer = ByteBuffer(),
        parameters: [String: String] = [:],
        remoteAddress: SocketAddress? = nil,
        extensions: RequestExtensions = RequestExtensions(),
        connection: HTTPConnectionLifetime? = nil
    ) {
        self.head = head
        self.body = body
        self.parameters = parameters
        self.remoteAddress = remoteAddress
        self.extensions = extensions
        self.connection = connection
    }

    /// The request method (shorthand for `head.method`).
    public var method: HTTPMethod { head.method }
    /// The request's header fields (shorthand for `head.headers`); lookup is case-insensitive.
    public var headers: HTTPHeaders { head.headers }
    /// The path without the query string, percent-encoding left as sent.
    public var path: Substring { head.path }
}

/// A type-keyed bag of values that middleware attach to a request.
public struct RequestExtensions: Sendable {
    private var storage: [ObjectIdentifier: any Sendable] = [:]

    /// An empty bag.
    public init() {}

    /// The value stored under `key`, or nil; assigning nil removes it.
    public subscript<Key: RequestExtensionKey>(_ key: Key.Type) -> Key.Value? {
        get { storage[ObjectIdentifier(key)] as? Key.Value }
        set { storage[ObjectIdentifier(key)] = newValue }
    }
}

/// The key of one value in `RequestExtensions`.
public protocol RequestExtensionKey {
    /// The type of the value stored under this key.
    associatedtype Value: Sendable
}
