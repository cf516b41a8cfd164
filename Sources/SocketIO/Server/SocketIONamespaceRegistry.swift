import CoreMetrics
import NIOConcurrencyHelpers

/// The namespaces a server serves: static ones, and children of dynamic predicates created on
/// their first CONNECT.
final class SocketIONamespaceRegistry: Sendable {
    private struct State {
        var matcher = SocketIONamespaceMatcher(names: [])
        var namespaces: [String: SocketIONamespace] = [:]
        var parents: [Int: SocketIONamespaceHandlers] = [:]
    }

    private let state = NIOLockedValueBox(State())
    private let makeAdapter: SocketIOServerConfiguration.AdapterFactory
    private let metrics: any MetricsFactory

    init(makeAdapter: @escaping SocketIOServerConfiguration.AdapterFactory, metrics: any MetricsFactory) {
        self.makeAdapter = makeAdapter
        self.metrics = metrics
    }

    /// The static namespace `name`, created on first use.
    func of(_ name: String) -> SocketIONamespace {
        state.withLockedValue { state in
            state.matcher.add(name)
            if let existing = state.namespaces[name] { return existing }
            let namespace = SocketIONamespace(
                name: name, handlers: SocketIONamespaceHandlers(), makeAdapter: makeAdapter, metrics: metrics)
            state.namespaces[name] = namespace
            return namespace
        }
    }

    /// Serves every name `predicate` accepts; returns the handlers the children share.
    func add(_ predicate: @escaping SocketIONamespaceMatcher.Predicate) -> SocketIONamespaceHandlers {
        state.withLockedValue { state in
            let handlers = SocketIONamespaceHandlers()
            state.parents[state.matcher.add(predicate)] = handlers
            return handlers
        }
    }

    /// Whether `name` is served.
    func serves(_ name: String) -> Bool { state.withLockedValue { $0.matcher.serves(name) } }

    /// The namespace `name` if served, creating a dynamic child on first use.
    func resolve(_ name: String) -> SocketIONamespace? {
        state.withLockedValue { state in
            if let existing = state.namespaces[name] { return existing }
            guard let parent = state.matcher.parent(of: name), let handlers = state.parents[parent] else { return nil }
            let namespace = SocketIONamespace(name: name, handlers: handlers, makeAdapter: makeAdapter, metrics: metrics)
            state.namespaces[name] = namespace
            return namespace
        }
    }

    /// The namespaces created so far.
    var all: [SocketIONamespace] { state.withLockedValue { Array($0.namespaces.values) } }
}
