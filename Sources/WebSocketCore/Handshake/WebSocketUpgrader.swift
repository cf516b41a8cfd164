import HTTPCore
import NIOCore

/// Turns an HTTP request into a WebSocket: validates the handshake and answers 101 with an
/// `HTTPUpgrade` that installs the connection handler and runs `handler` for the socket.
///
/// Use it as a route handler, after the middleware chain has run (so the request carries
/// cookies and the session):
///
/// ```swift
/// let upgrader = WebSocketUpgrader(configuration: .init()) { socket in
///     for try await message in socket.messages { try await socket.send(message) }
/// }
/// app.get("/ws") { request in try upgrader.response(for: request) }
/// ```
///
/// When `handler` returns (or throws), the server starts the close handshake (1000, or 1011
/// after an error) if it has not happened yet, and waits for it to finish.
///
/// A server holding many mostly idle connections can serve them with callbacks instead
/// (`init(configuration:open:)`): no task, async sequence or writer per connection.
public struct WebSocketUpgrader: Sendable {
    /// The handshake choices and connection limits used for every accepted socket.
    public var configuration: WebSocketConfiguration
    private let serving: Serving

    private enum Serving: Sendable {
        /// A task per socket runs the handler over the `WebSocket` API.
        case task(@Sendable (WebSocket) async throws -> Void)
        /// The socket's event loop calls the callbacks `open` returned.
        case callbacks(@Sendable (WebSocketWriter) -> WebSocketCallbacks)
    }

    /// An upgrader that runs `handler` for each accepted WebSocket.
    public init(
        configuration: WebSocketConfiguration = WebSocketConfiguration(),
        handler: @escaping @Sendable (WebSocket) async throws -> Void
    ) {
        self.configuration = configuration
        self.serving = .task(handler)
    }

    /// An upgrader that serves each accepted WebSocket with callbacks: `open` runs on the
    /// connection's event loop once the connection handler is installed (it may write at once
    /// through the writer) and returns the callbacks for the connection's messages and its end.
    /// The application closes the connection with `WebSocketWriter.enqueueClose`.
    public init(
        configuration: WebSocketConfiguration = WebSocketConfiguration(),
        open: @escaping @Sendable (WebSocketWriter) -> WebSocketCallbacks
    ) {
        self.configuration = configuration
        self.serving = .callbacks(open)
    }

    /// The 101 response that accepts `request`, or an `HTTPError` (400, 403, 426) that refuses
    /// it (see `WebSocketHandshake.validate`).
    public func response(for request: Request) throws(HTTPError) -> Response {
        let handshake = try WebSocketHandshake.validate(request.head, configuration: configuration)
        var response = Response(status: .switchingProtocols, headers: handshake.responseHeaders)
        let configuration = configuration
        switch serving {
        case .task(let handler):
            let request = request.compacted()  // kept for the connection's life: do not pin its read buffer
            response.upgrade = HTTPUpgrade { channel in
                channel.eventLoop.makeCompletedFuture {
                    let socket = try Self.install(
                        on: channel, configuration: configuration, compression: handshake.compression)
                    Task {
                        await Self.run(socket, request: request, subprotocol: handshake.subprotocol, handler: handler)
                    }
                }
            }
        case .callbacks(let open):
            response.upgrade = HTTPUpgrade { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.install(
                        on: channel, configuration: configuration, compression: handshake.compression, open: open)
                }
            }
        }
        return response
    }

    /// Adds the connection handler to `channel` (on its event loop), then lets `open` start the
    /// socket and hands its callbacks to the handler, before anything is read.
    static func install(
        on channel: any Channel, configuration: WebSocketConfiguration, compression: PerMessageDeflateParameters?,
        open: (WebSocketWriter) -> WebSocketCallbacks
    ) throws {
        let handler = WebSocketConnectionHandler(
            configuration: configuration, compression: compression, closedPromise: nil)
        try channel.pipeline.syncOperations.addHandler(handler)
        handler.callbacks = open(
            WebSocketWriter(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop)))
    }

    typealias InstalledSocket = (
        channel: NIOAsyncChannel<WebSocketMessage, WebSocketOutbound>, closed: EventLoopFuture<WebSocketCloseFrame>
    )

    /// Adds the connection handler and the async bridge to `channel` (on its event loop).
    static func install(
        on channel: any Channel, configuration: WebSocketConfiguration, compression: PerMessageDeflateParameters?
    ) throws -> InstalledSocket {
        let closed = channel.eventLoop.makePromise(of: WebSocketCloseFrame.self)
        let handler = WebSocketConnectionHandler(configuration: configuration, compression: compression, closed: closed)
        try channel.pipeline.syncOperations.addHandler(handler)
        let high = max(2, configuration.inboundBufferSize)
        let asyncChannel = try NIOAsyncChannel<WebSocketMessage, WebSocketOutbound>(
            wrappingChannelSynchronously: channel,
            configuration: .init(backPressureStrategy: .init(lowWatermark: max(1, high / 4), highWatermark: high))
        )
        return (asyncChannel, closed.futureResult)
    }

    /// Runs the application's handler for one socket, then completes the close handshake.
    static func run(
        _ socket: InstalledSocket, request: Request, subprotocol: String?,
        handler: @Sendable (WebSocket) async throws -> Void
    ) async {
        try? await socket.channel.executeThenClose { inbound, outbound in
            let webSocket = WebSocket(request: request, subprotocol: subprotocol, inbound: inbound,
                                      outbound: outbound, closed: socket.closed, channel: socket.channel.channel)
            do {
                try await handler(webSocket)
                await webSocket.close(code: .normalClosure)
            } catch {
                await webSocket.close(code: .internalServerError)
            }
        }
    }
}
