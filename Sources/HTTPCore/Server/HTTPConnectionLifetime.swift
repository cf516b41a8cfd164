import NIOConcurrencyHelpers

/// Tells a handler that the client went away while its request is in flight (a held long-poll,
/// a slow computation): the connection closed, or the client shut its sending side (FIN), after
/// which HTTPCore still writes the answer but the client no longer waits for it.
///
/// The server makes one per connection and puts it in `Request.connection`; handlers registered
/// with `onClose` are kept only until the response of the request being answered is complete.
///
/// ```swift
/// request.connection?.onClose { held.cancel() }
/// ```
public final class HTTPConnectionLifetime: Sendable {
    private struct State {
        var closed = false
        var handlers: [@Sendable () -> Void] = []
    }

    private let state = NIOLockedValueBox(State())

    /// A lifetime whose connection is open.
    public init() {}

    /// True once the client closed the connection or its sending side.
    public var isClosed: Bool { state.withLockedValue { $0.closed } }

    /// Runs `handler` once when the client goes away before the current response is complete;
    /// at once (on the caller's thread) when it already has. Handlers run on the connection's
    /// event loop and must not block.
    public func onClose(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLockedValue { state -> Bool in
            if state.closed { return true }
            state.handlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// The client went away: runs the waiting handlers. Idempotent. Called by `HTTPServer`
    /// (public so that tests can stand in for a connection).
    public func close() {
        let handlers = state.withLockedValue { state -> [@Sendable () -> Void] in
            state.closed = true
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }
    }

    /// The response to the current request is complete: its handlers are no longer wanted.
    func requestFinished() {
        state.withLockedValue { $0.handlers.removeAll(keepingCapacity: true) }
    }
}
