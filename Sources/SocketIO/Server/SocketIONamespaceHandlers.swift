import JavaScriptFormats
import NIOConcurrencyHelpers

/// The middleware and connection handlers of a namespace; shared by the children of a dynamic
/// namespace (`SocketIOServer.of(matching:)`).
final class SocketIONamespaceHandlers: Sendable {
    private struct Lists {
        var middleware: [SocketIOMiddleware] = []
        var connection: [@Sendable (SocketIOSocket) async -> Void] = []
    }

    private let lists = NIOLockedValueBox(Lists())

    func use(_ middleware: @escaping SocketIOMiddleware) {
        lists.withLockedValue { $0.middleware.append(middleware) }
    }

    func onConnection(_ handler: @escaping @Sendable (SocketIOSocket) async -> Void) {
        lists.withLockedValue { $0.connection.append(handler) }
    }

    /// Runs the middleware in order until one refuses; merges the data the others allowed with.
    func authorize(_ handshake: SocketIOHandshake) async -> SocketIOMiddlewareResult.Verdict {
        var data = SocketIOObject()
        for middleware in lists.withLockedValue({ $0.middleware }) {
            switch await middleware(handshake).verdict {
            case .refuse(let message, let extra): return .refuse(message: message, data: extra)
            case .allow(let extra?): data = data.merging(extra)
            case .allow(nil): continue
            }
        }
        return .allow(data)
    }

    func connected(_ socket: SocketIOSocket) async {
        for handler in lists.withLockedValue({ $0.connection }) { await handler(socket) }
    }
}

extension SocketIOObject {
    /// This object with `other`'s members on top (a key of both gets `other`'s value, in the place
    /// it has here): how a middleware's `allow(data:)` adds to what came before it.
    func merging(_ other: SocketIOObject) -> SocketIOObject {
        var merged = self
        for entry in other { merged[entry.key] = entry.value }
        return merged
    }
}
