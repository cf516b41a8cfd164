import NIOCore

/// What a handler returns (inside a 101 `Response`) to take over the connection for another
/// protocol such as WebSocket.
///
/// The server writes the 101 response with the response's headers, removes its HTTP handlers
/// and then calls `configure` on the channel's event loop. `configure` installs the new
/// protocol's handlers; bytes the client sent after the request head are fired through the
/// pipeline once the returned future succeeds. If it fails, the connection is closed.
public struct HTTPUpgrade: Sendable {
    /// Installs the new protocol's channel handlers; runs on the channel's event loop after the
    /// 101 response is written and the HTTP handlers are removed. A failed future closes the connection.
    public var configure: @Sendable (any Channel) -> EventLoopFuture<Void>

    /// An upgrade whose `configure` takes over the channel.
    public init(configure: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>) {
        self.configure = configure
    }
}
