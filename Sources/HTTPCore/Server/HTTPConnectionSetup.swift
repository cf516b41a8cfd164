import NIOCore

/// Handlers that go in front of HTTP on every connection the server accepts (a TLS handler, say),
/// and whether they make the connection secure.
///
/// `HTTPServer` calls `addHandlers` on the new connection's event loop before it adds its own
/// handler, so the bytes HTTP sees are the ones these handlers pass on. Requests on such a
/// connection report `Request.isSecure` when `isEncrypted`.
public struct HTTPConnectionSetup: Sendable {
    /// Whether connections set up this way are encrypted.
    public var isEncrypted: Bool
    /// Adds the handlers to a new connection's pipeline (on its event loop, through
    /// `channel.pipeline.syncOperations`); a thrown error closes the connection.
    public var addHandlers: @Sendable (any Channel) throws -> Void

    /// A setup that adds handlers with `addHandlers`; `isEncrypted` says whether they encrypt.
    public init(isEncrypted: Bool, addHandlers: @escaping @Sendable (any Channel) throws -> Void) {
        self.isEncrypted = isEncrypted
        self.addHandlers = addHandlers
    }
}
