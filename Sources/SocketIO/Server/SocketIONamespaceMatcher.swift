/// Decides which namespaces a server serves: static names, and dynamic ones accepted by
/// predicates (Socket.IO's `io.of(regex or function)`).
///
/// `SocketIOConnection.receive(_:now:namespaceExists:)` takes `matcher.serves` as its
/// `namespaceExists`; a CONNECT to anything else is answered `{"message":"Invalid namespace"}`.
public struct SocketIONamespaceMatcher: Sendable {
    /// A predicate deciding whether a dynamic namespace name is served.
    public typealias Predicate = @Sendable (String) -> Bool

    private var names: Set<String>
    private var predicates: [(id: Int, predicate: Predicate)] = []

    /// A matcher serving `names` (the main namespace `/` by default).
    public init(names: Set<String> = ["/"]) {
        self.names = names
    }

    /// Serves one more static namespace.
    public mutating func add(_ name: String) { names.insert(name) }

    /// Serves every namespace `predicate` accepts; returns the index of the first predicate
    /// that matches a name later (`parent(of:)`), so the server can attach the child namespace
    /// to the middleware and handlers registered for that predicate.
    @discardableResult
    public mutating func add(_ predicate: @escaping Predicate) -> Int {
        let id = predicates.count
        predicates.append((id, predicate))
        return id
    }

    /// True when `name` is a static namespace or a predicate accepts it.
    public func serves(_ name: String) -> Bool {
        names.contains(name) || parent(of: name) != nil
    }

    /// The index of the first predicate accepting `name`, or `nil` (static names have no parent).
    public func parent(of name: String) -> Int? {
        guard !names.contains(name) else { return nil }
        return predicates.first { $0.predicate(name) }?.id
    }
}
