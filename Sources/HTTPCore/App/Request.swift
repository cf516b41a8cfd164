import NIOCore

/// One HTTP request as route handlers and middleware see it: the parsed head, the whole body
/// (collected up to the configured limit), route parameters and typed extensions that middleware
/// attach (such as the session).
public struct Request: Sendable {
    /// The fields live in one reference-counted box, so that passing a request along the
    /// middleware chain (and keeping it in async frames) copies one reference instead of every
    /// field; a change copies the box first when another `Request` value shares it.
    private var storage: Storage

    /// The request line and headers as parsed.
    public var head: HTTPRequestHead {
        get { storage.head }
        _modify {
            makeUnique()
            yield &storage.head
        }
    }
    /// The request body; empty when the request had none.
    public var body: ByteBuffer {
        get { storage.body }
        _modify {
            makeUnique()
            yield &storage.body
        }
    }
    /// Route parameters captured by `:name` and `*` segments of the matched route.
    public var parameters: [String: String] {
        get { storage.parameters }
        _modify {
            makeUnique()
            yield &storage.parameters
        }
    }
    /// The peer's address, when known.
    public var remoteAddress: SocketAddress? {
        get { storage.remoteAddress }
        _modify {
            makeUnique()
            yield &storage.remoteAddress
        }
    }
    /// Whether the request came over TLS, or through a trusted proxy whose `X-Forwarded-Proto`
    /// says `https` (Express's `req.secure`; see `HTTPServerConfiguration.trustedProxies`).
    public var isSecure: Bool {
        get { storage.isSecure }
        set {
            guard newValue != storage.isSecure else { return }
            makeUnique()
            storage.isSecure = newValue
        }
    }
    /// The client's IP address (Express's `req.ip`): the peer's, or, when the peer is a trusted
    /// proxy, the nearest address in `X-Forwarded-For` that is not one; nil when unknown.
    public var clientAddress: String? {
        storage.forwardedClientAddress ?? storage.remoteAddress?.ipAddress
    }
    /// The client address that trusted proxies forwarded, set by the server.
    var forwardedClientAddress: String? {
        get { storage.forwardedClientAddress }
        set {
            makeUnique()
            storage.forwardedClientAddress = newValue
        }
    }
    /// Values attached by middleware, keyed by type.
    public var extensions: RequestExtensions {
        get { storage.extensions }
        _modify {
            makeUnique()
            yield &storage.extensions
        }
    }
    /// Whether the client is still there: set by `HTTPServer` (nil for requests built elsewhere).
    public var connection: HTTPConnectionLifetime? {
        get { storage.connection }
        _modify {
            makeUnique()
            yield &storage.connection
        }
    }

    /// A request; the server builds these, tests and embedders may too.
    public init(
        head: HTTPRequestHead,
        body: ByteBuffer = ByteBuffer(),
        parameters: [String: String] = [:],
        remoteAddress: SocketAddress? = nil,
        extensions: RequestExtensions = RequestExtensions(),
        connection: HTTPConnectionLifetime? = nil,
        isSecure: Bool = false
    ) {
        storage = Storage(
            head: head, body: body, parameters: parameters, remoteAddress: remoteAddress,
            extensions: extensions, connection: connection)
        storage.isSecure = isSecure
    }

    /// The request method (shorthand for `head.method`).
    public var method: HTTPMethod { storage.head.method }
    /// The request's header fields (shorthand for `head.headers`); lookup is case-insensitive.
    public var headers: HTTPHeaders { storage.head.headers }
    /// The path without the query string, below the mount point of the router or `use(prefix, …)`
    /// middleware that sees the request, percent-encoding left as sent (Express's `req.path`):
    /// inside a router mounted at `/api`, `/users/1` for `/api/users/1?x=1` and `/` for `/api`.
    /// Outside mounts, the whole path (`head.path`).
    public var path: Substring {
        let full = fullPath
        guard storage.baseLength != 0 else { return full }
        let rest = full[mountEnd(in: full)...]
        if rest.isEmpty { return "/" }
        if rest.utf8.first == UInt8(ascii: "/") { return rest }
        return Substring("/" + rest)  // only when a middleware changed the target below a mount
    }

    /// The part of the path that the mount points above the current router consumed, as the
    /// request spelled it (Express's `req.baseUrl`): `/api/v1` inside a router mounted at `/v1`
    /// in one mounted at `/api`, `/api/v2` for a mount path `/api/:version`; empty outside mounts.
    public var baseURL: Substring {
        let full = fullPath
        return full[..<mountEnd(in: full)]
    }

    /// The request target, path and query, as `head.target` holds it: routing never changes it
    /// (Express's `req.originalUrl`, e.g. `/admin/new?sort=desc` where `baseURL` is `/admin` and
    /// `path` is `/new`).
    public var originalURL: String { storage.head.target }

    /// The whole path without the query, mount points included: the same value as `head.path`,
    /// found by a byte scan for ASCII targets (`head.path` compares characters; read several times
    /// per request).
    var fullPath: Substring {
        let target = storage.head.target
        let utf8 = target.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x80 { return storage.head.path }
            if byte == UInt8(ascii: "?") {
                let next = utf8.index(after: index)
                // A non-ASCII scalar right after `?` may join it into one character.
                if next != utf8.endIndex && utf8[next] >= 0x80 { return storage.head.path }
                return target[..<index]
            }
            utf8.formIndex(after: &index)
        }
        return target[...]
    }

    /// `fullPath` after the mount points, as it is (possibly empty, where `path` gives `/`).
    var pathBelowMount: Substring {
        let full = fullPath
        guard storage.baseLength != 0 else { return full }
        return full[mountEnd(in: full)...]
    }

    /// How many UTF-8 bytes at the start of `fullPath` the mount points consumed (`baseURL`).
    var baseLength: Int {
        get { storage.baseLength }
        set {
            guard newValue != storage.baseLength else { return }
            makeUnique()
            storage.baseLength = newValue
        }
    }

    private func mountEnd(in full: Substring) -> String.Index {
        full.utf8.index(full.startIndex, offsetBy: storage.baseLength, limitedBy: full.endIndex) ?? full.endIndex
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// The fields of a `Request`. `@unchecked Sendable`: a box is only mutated through a `Request`
    /// that holds the sole reference to it (`makeUnique` copies it otherwise), so a box that two
    /// tasks can see is never written.
    private final class Storage: @unchecked Sendable {
        var head: HTTPRequestHead
        var body: ByteBuffer
        var parameters: [String: String]
        var remoteAddress: SocketAddress?
        var extensions: RequestExtensions
        var connection: HTTPConnectionLifetime?
        var baseLength = 0
        var isSecure = false
        var forwardedClientAddress: String?

        init(
            head: HTTPRequestHead, body: ByteBuffer, parameters: [String: String], remoteAddress: SocketAddress?,
            extensions: RequestExtensions, connection: HTTPConnectionLifetime?
        ) {
            self.head = head
            self.body = body
            self.parameters = parameters
            self.remoteAddress = remoteAddress
            self.extensions = extensions
            self.connection = connection
        }

        func copy() -> Storage {
            let copy = Storage(
                head: head, body: body, parameters: parameters, remoteAddress: remoteAddress,
                extensions: extensions, connection: connection)
            copy.baseLength = baseLength
            copy.isSecure = isSecure
            copy.forwardedClientAddress = forwardedClientAddress
            return copy
        }
    }
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
