import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// An HTTP/1.1 server on SwiftNIO serving an `HTTPResponder` (such as `App`).
///
/// Each connection gets one `HTTPConnectionHandler`: requests are parsed by `HTTPRequestParser`,
/// answered one at a time and in order (pipelined requests wait in the parser's buffer; reading
/// stops once 64 KiB wait there or while the client does not read its responses), with
/// keep-alive, idle and header-read timeouts, `100 Continue`, streamed bodies with backpressure
/// and protocol upgrades. Handlers run, by default, on the connection's event loop through a task
/// executor preference, so a trivial handler costs no thread hop.
///
/// Use it as a swift-service-lifecycle `Service` (`run()` serves until graceful shutdown or
/// cancellation), or drive it directly with `start()` and `shutdown()`.
public final class HTTPServer: Service, Sendable {
    private enum State {
        case created
        case starting
        case running(any Channel)
        case stopping
        case stopped
    }

    /// The settings this server was created with.
    public let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let group: any EventLoopGroup
    private let logger: Logger
    private let connections: ConnectionRegistry
    private let state = NIOLockedValueBox(State.created)
    private let stopped: EventLoopPromise<Void>

    /// A server that will answer requests with `responder` once started.
    public init(
        responder: some HTTPResponder,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "sesior.http")
    ) {
        self.responder = responder
        self.configuration = configuration
        self.group = eventLoopGroup
        self.logger = logger
        self.connections = ConnectionRegistry(limit: configuration.maxConnections, metrics: configuration.metrics)
        self.stopped = eventLoopGroup.any().makePromise()
    }

    deinit {
        // A server dropped without being stopped must not leak its unfulfilled promise (NIO
        // checks for that in debug builds). While it stops, its own callbacks keep it alive.
        let pending = state.withLockedValue { state in
            if case .stopped = state { return false }
            return true
        }
        if pending { stopped.succeed() }
    }

    /// The address the server listens on, once started (with the real port when 0 was asked).
    public var localAddress: SocketAddress? {
        state.withLockedValue { state in
            if case .running(let channel) = state { return channel.localAddress }
            return nil
        }
    }

    /// The number of open client connections.
    public var connectionCount: Int { connections.count }

    /// Binds the listening socket and starts accepting connections; returns once listening.
    public func start() async throws {
        let canStart = state.withLockedValue { state in
            guard case .created = state else { return false }
            state = .starting
            return true
        }
        guard canStart else { throw HTTPServerError.alreadyStarted }
        do {
            let channel = try await makeBootstrap().bind(host: configuration.host, port: configuration.port).get()
            let keep = state.withLockedValue { state in
                guard case .starting = state else { return false }
                state = .running(channel)
                return true
            }
            guard keep else {
                try? await channel.close()
                throw HTTPServerError.stopped
            }
            logger.info("HTTP server listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        } catch {
            let failedWhileStarting = state.withLockedValue { state in
                guard case .starting = state else { return false }
                state = .stopped
                return true
            }
            if failedWhileStarting { stopped.succeed() }
            throw error
        }
    }

    /// Serves until a graceful shutdown (SIGINT/SIGTERM under a `ServiceGroup`) or cancellation,
    /// then drains in-flight requests (up to `shutdownTimeout`) and returns. Starts the server
    /// first unless `start()` was already called.
    public func run() async throws {
        let notStarted = state.withLockedValue { state in
            if case .created = state { return true }
            return false
        }
        if notStarted { try await start() }
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                try? await stopped.futureResult.get()
            } onCancel: {
                self.beginShutdown()
            }
        } onGracefulShutdown: {
            self.beginShutdown()
        }
    }

    /// Stops accepting, lets in-flight requests finish (closing idle keep-alive connections at
    /// once and the others after their response, or all of them after `shutdownTimeout`), and
    /// returns when every connection is closed.
    public func shutdown() async {
        beginShutdown()
        try? await stopped.futureResult.get()
    }

    private func beginShutdown() {
        let listener: (any Channel)?? = state.withLockedValue { state in
            switch state {
            case .running(let channel):
                state = .stopping
                return .some(channel)
            case .created:
                state = .stopped
                return .some(nil)
            case .starting:
                state = .stopping
                return .some(nil)
            case .stopping, .stopped:
                return .none
            }
        }
        guard let listener else { return }
        let eventLoop = stopped.futureResult.eventLoop
        let closed = listener?.close() ?? eventLoop.makeSucceededVoidFuture()
        closed.whenComplete { _ in
            let drained = eventLoop.makePromise(of: Void.self)
            let deadline = eventLoop.scheduleTask(in: self.configuration.shutdownTimeout) {
                self.logger.notice("shutdown timeout: closing remaining connections")
                self.connections.closeAll()
            }
            self.connections.quiesce(drained: drained)
            drained.futureResult.whenComplete { _ in
                deadline.cancel()
                self.state.withLockedValue { $0 = .stopped }
                self.logger.info("HTTP server stopped")
                self.stopped.succeed()
            }
        }
    }

    private func makeBootstrap() -> ServerBootstrap {
        let configuration = configuration
        let responder = responder
        let connections = connections
        let logger = logger
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: Int32(clamping: configuration.backlog))
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                guard connections.add(channel) else {
                    logger.debug("connection refused: limit reached or shutting down")
                    return channel.eventLoop.makeFailedFuture(HTTPServerError.connectionRefused)
                }
                return channel.eventLoop.makeCompletedFuture {
                    try configuration.connectionSetup?.addHandlers(channel)
                    let handler = HTTPConnectionHandler(
                        responder: responder, configuration: configuration, logger: logger,
                        eventLoop: channel.eventLoop)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
    }
}

/// Why an `HTTPServer` could not do what was asked.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var reason: String

    /// `start()` was called on a server that was already started or stopped.
    public static let alreadyStarted = HTTPServerError(reason: "the server was already started")

    /// The server was shut down before `start()` finished binding.
    public static let stopped = HTTPServerError(reason: "the server was shut down while starting")

    /// A new connection was closed at once: `maxConnections` reached or the server is stopping.
    public static let connectionRefused = HTTPServerError(reason: "connection limit reached or server stopping")

    /// The reason (same as `reason`).
    public var description: String { reason }
}
