import HTTPCore
import JavaScriptFormats

/// What a namespace's connection middleware sees: the HTTP request that opened the Engine.IO
/// session (headers, cookies, and the values middleware such as a session attached), the auth
/// payload of the CONNECT packet, and the namespace joined.
public struct SocketIOHandshake: Sendable {
    /// The request that opened the connection (polling handshake GET or WebSocket upgrade).
    public let request: Request
    /// The client's auth payload (`0/admin,{"token":"…"}`), if any.
    public let auth: SocketIOValue?
    /// The namespace the client is joining.
    public let namespace: String

    /// A handshake for `namespace` with `auth`, opened by `request`.
    public init(request: Request, auth: SocketIOValue?, namespace: String) {
        self.request = request
        self.auth = auth
        self.namespace = namespace
    }

    /// The request's headers.
    public var headers: HTTPHeaders { request.headers }
    /// The raw `Cookie` header, if any.
    public var cookieHeader: String? { request.headers["Cookie"] }
    /// The raw query string of the handshake request.
    public var query: Substring? { request.head.query }
}

/// The verdict of a connection middleware.
public struct SocketIOMiddlewareResult: Sendable {
    enum Verdict: Sendable {
        case allow(SocketIOObject?)
        case refuse(message: String, data: SocketIOValue?)
    }

    let verdict: Verdict

    /// Let the client in (the next middleware runs, then the connection handlers).
    public static let allow = SocketIOMiddlewareResult(verdict: .allow(nil))

    /// Let the client in and merge `data` into the new socket's `data`.
    public static func allow(data: SocketIOObject) -> SocketIOMiddlewareResult {
        SocketIOMiddlewareResult(verdict: .allow(data))
    }

    /// Refuse: the client receives CONNECT_ERROR `{"message":…,"data":…}` (its `connect_error`).
    public static func refuse(_ message: String, data: SocketIOValue? = nil) -> SocketIOMiddlewareResult {
        SocketIOMiddlewareResult(verdict: .refuse(message: message, data: data))
    }
}

/// A namespace's connection middleware: runs for every CONNECT before the socket exists.
public typealias SocketIOMiddleware = @Sendable (SocketIOHandshake) async -> SocketIOMiddlewareResult
