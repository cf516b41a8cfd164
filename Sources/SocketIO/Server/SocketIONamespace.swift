import CoreMetrics
import JavaScriptFormats
import NIOConcurrencyHelpers
import NIOCore
import Synchronization
import WebSocketCore

/// One Socket.IO namespace of a `SocketIOServer`: its connection middleware and handlers, the
/// sockets connected to it on this instance, and its adapter (rooms and broadcasts).
public final class SocketIONamespace: Sendable {
    /// The namespace name (`/`, `/admin`, …).
    public let name: String
    /// Room membership and broadcasting (in memory by default, Redis across instances).
    public let adapter: any SocketIOAdapter
    let handlers: SocketIONamespaceHandlers
    let localSockets: SocketIOLocalSocketRegistry
    let metrics: SocketIONamespaceMetrics

    init(
        name: String, handlers: SocketIONamespaceHandlers, makeAdapter: SocketIOServerConfiguration.AdapterFactory,
        metrics: any MetricsFactory
    ) {
        self.name = name
        self.handlers = handlers
        let metrics = SocketIONamespaceMetrics(namespace: name, factory: metrics)
        self.metrics = metrics
        let registry = SocketIOLocalSocketRegistry(metrics: metrics)
        self.localSockets = registry
        self.adapter = makeAdapter(name, registry)
        if adapter.sessionLog != nil { registry.keepOffsetOrder() }
    }

    /// Adds a connection middleware; they run in order for every CONNECT to this namespace.
    public func use(_ middleware: @escaping SocketIOMiddleware) { handlers.use(middleware) }

    /// Adds a handler run for every socket that connects (register `socket.on` handlers here).
    /// The connection's later packets wait until the handlers return, so do not await an
    /// acknowledgement from the same socket here (start a task for that).
    public func onConnection(_ handler: @escaping @Sendable (SocketIOSocket) async -> Void) {
        handlers.onConnection(handler)
    }

    /// The sockets of this namespace connected to this instance.
    public var sockets: [SocketIOSocket] { localSockets.all }

    /// The local socket with this id, if connected here.
    public func socket(id: String) -> SocketIOSocket? { localSockets.socket(id: id) }

    /// Every socket of the namespace (on every instance sharing the adapter).
    public var all: SocketIOBroadcastOperator { SocketIOBroadcastOperator(namespace: self) }

    /// Targets the sockets in `rooms`.
    public func to(_ rooms: String...) -> SocketIOBroadcastOperator { all.to(rooms) }

    /// Targets every socket except those in `rooms`.
    public func except(_ rooms: String...) -> SocketIOBroadcastOperator { all.except(rooms) }

    /// Emits to every socket of the namespace.
    public func emit(_ event: String, _ arguments: SocketIOValue...) async {
        await all.emit(event, arguments: arguments)
    }

    /// Every socket of the namespace on every instance sharing the adapter (see
    /// `SocketIOBroadcastOperator.fetchSockets()`).
    public func fetchSockets() async throws -> [SocketIORemoteSocket] { try await all.fetchSockets() }

    /// Disconnects every socket of the namespace (`close`: their whole connections too).
    public func disconnectSockets(close: Bool = false) async { await all.disconnectSockets(close: close) }
}

/// The sockets of one namespace connected to this instance; where adapters deliver.
final class SocketIOLocalSocketRegistry: SocketIOLocalSockets {
    /// A socket and its Engine.IO session (kept side by side: a broadcast needs only the latter).
    private struct Entry {
        let socket: SocketIOSocket
        let engine: EngineIOSocket
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Every socket's session, for broadcasts to everyone; rebuilt after a change.
        var everyone: [EngineIOSocket]?
    }

    private let state = NIOLockedValueBox(State())
    private let metrics: SocketIONamespaceMetrics
    /// With connection-state recovery: every WebSocket delivery hops to its loop, also from that
    /// loop, so writes reach a socket in the order they were handed over (offset order) and none
    /// overtakes a CONNECT answer `list` queued.
    private let hopsAlways = Synchronization.Atomic<Bool>(false)

    init(metrics: SocketIONamespaceMetrics) {
        self.metrics = metrics
    }

    /// Makes deliveries keep the order they were handed over in (see `hopsAlways`).
    func keepOffsetOrder() { hopsAlways.store(true, ordering: .relaxed) }

    /// How many sockets a broadcast sorts by event loop before handing them to their loops: the
    /// first writes start while the rest are still being sorted.
    static let deliveryBatch = 128

    var all: [SocketIOSocket] { state.withLockedValue { $0.entries.values.map(\.socket) } }

    func socket(id: String) -> SocketIOSocket? { state.withLockedValue { $0.entries[id]?.socket } }

    /// Lists `socket` for deliveries and sends it `reply` in one step: a broadcast that finds the
    /// socket here writes after the reply. On WebSocket this runs on the socket's event loop, where
    /// writes go out at once and a broadcast's writes are queued behind it.
    func add(_ socket: SocketIOSocket, announcing reply: [EngineIOPacket]) async {
        let engine = socket.client.engine
        if let loop = engine.webSocketEventLoop, !loop.inEventLoop {
            let added = loop.submit { self.insert(socket, engine: engine, announcing: reply) }
            if (try? await added.get()) != nil { return }
        }
        insert(socket, engine: engine, announcing: reply)
    }

    /// Lists `socket` and sends it `reply` at once, on the caller's thread (`add` without the hop
    /// to the socket's loop): for an adapter step that must not be interleaved with broadcasts.
    /// Off its loop the reply is queued on the loop; the broadcasts after it are too (the
    /// registry of a recovering namespace always hops, see `keepOffsetOrder`), so they follow it.
    func list(_ socket: SocketIOSocket, announcing reply: [EngineIOPacket]) {
        insert(socket, engine: socket.client.engine, announcing: reply)
    }

    private func insert(_ socket: SocketIOSocket, engine: EngineIOSocket, announcing reply: [EngineIOPacket]) {
        state.withLockedValue { state in
            if state.entries.updateValue(Entry(socket: socket, engine: engine), forKey: socket.id) == nil {
                metrics.sockets.increment()
            }
            state.everyone = nil
            engine.send(reply)
        }
    }

    func remove(_ id: String) {
        state.withLockedValue { state in
            guard state.entries.removeValue(forKey: id) != nil else { return }
            metrics.sockets.decrement()
            state.everyone = nil
        }
    }

    func deliver(_ packet: SocketIOEncodedPacket, to ids: [String]) {
        send(packet, to: state.withLockedValue { state in ids.compactMap { state.entries[$0]?.engine } })
    }

    /// Every socket registered here: those whose connection is complete, a moment before the
    /// adapter lists them, and none that has begun to disconnect.
    func deliverToAll(_ packet: SocketIOEncodedPacket) -> Bool {
        let engines = state.withLockedValue { state in
            if let everyone = state.everyone { return everyone }
            let everyone = state.entries.values.map(\.engine)
            state.everyone = everyone
            return everyone
        }
        send(packet, to: engines)
        return true
    }

    private func send(_ packet: SocketIOEncodedPacket, to engines: [EngineIOSocket]) {
        guard !engines.isEmpty else { return }
        metrics.deliveries.increment(by: engines.count)
        let hop = hopsAlways.load(ordering: .relaxed)
        // Framed once; every WebSocket of the broadcast writes the same bytes.
        let frames = packet.frames
        let prepared = frames.map { frame in
            switch frame {
            case .text(let text): WebSocketPreparedMessage(text: text)
            case .binary(let bytes): WebSocketPreparedMessage(binary: bytes)
            }
        }
        // One hop per event loop and batch, not one per socket; on its loop each write goes out
        // at once. A socket's packets keep their order: each broadcast hands every socket to its
        // loop once, and a loop runs what it is handed in order.
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, engines: [EngineIOSocket])] = [:]
        var sorted = 0
        for engine in engines {
            guard let loop = engine.webSocketEventLoop else {
                engine.send(frames: frames, prepared: prepared)
                continue
            }
            byLoop[ObjectIdentifier(loop), default: (loop, [])].engines.append(engine)
            sorted += 1
            if sorted == Self.deliveryBatch {
                Self.send(frames, prepared, byLoop: byLoop, hopsAlways: hop)
                byLoop.removeAll(keepingCapacity: true)
                sorted = 0
            }
        }
        Self.send(frames, prepared, byLoop: byLoop, hopsAlways: hop)
    }

    private static func send(
        _ frames: [EngineIOFrame], _ prepared: [WebSocketPreparedMessage],
        byLoop: [ObjectIdentifier: (loop: any EventLoop, engines: [EngineIOSocket])], hopsAlways hop: Bool
    ) {
        for (loop, engines) in byLoop.values {
            if loop.inEventLoop && !hop {
                for engine in engines { engine.send(frames: frames, prepared: prepared) }
            } else {
                loop.execute {
                    for engine in engines { engine.send(frames: frames, prepared: prepared) }
                }
            }
        }
    }

    func details(of id: String, rooms: Set<String>) -> SocketIOSocketDetails {
        guard let socket = socket(id: id) else { return SocketIOSocketDetails(id: id, rooms: rooms) }
        return SocketIOSocketDetails(
            id: id, rooms: rooms, data: socket.data, handshake: SocketIOSocketDetails.Handshake(socket.handshake))
    }

    func emitWithAck(
        _ packet: SocketIOPacket, to ids: [String], timeout: Duration, onAck: @escaping @Sendable (SocketIOValue) -> Void
    ) -> Int {
        guard let event = packet.eventName else { return 0 }
        let arguments = packet.arguments
        let targets = state.withLockedValue { state in ids.compactMap { state.entries[$0]?.socket } }
        let wait = TimeAmount.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        for socket in targets {
            Task {
                guard let answer = try? await socket.emitWithAck(event, arguments: arguments, timeout: wait) else { return }
                onAck(answer.first ?? .null)
            }
        }
        return targets.count
    }

    func disconnect(_ ids: [String], close: Bool) {
        let targets = state.withLockedValue { state in ids.compactMap { state.entries[$0]?.socket } }
        for socket in targets { socket.disconnect(close: close) }
    }
}
