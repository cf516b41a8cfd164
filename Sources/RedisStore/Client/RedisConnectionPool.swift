import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A set of pipelined connections to one Redis server, shared by any number of tasks.
///
/// Each command goes to the least busy open connection (ties in round-robin order); when every
/// connection has commands in flight and fewer than `maximumConnections` are open, the pool
/// opens another in the background. Connections that drop are replaced, with exponential
/// backoff (capped at `reconnectMaximumBackoff`) while Redis stays down. While no connection can
/// be made, commands fail at once with `RedisError(.unavailable)` instead of queueing; once
/// Redis is back the pool reconnects by itself.
///
/// The pool reports `redis_pool_commands_in_use`, `redis_pool_waiting`, `redis_pool_connections`
/// and `redis_pool_reconnects_total` to the metrics factory it is given.
public final class RedisConnectionPool: RedisClient, Sendable {
    /// The settings the pool was created with.
    public let configuration: RedisConfiguration
    /// The event loops connections run on.
    public let eventLoopGroup: any EventLoopGroup
    private let state: NIOLockedValueBox<State>
    private let metrics: RedisPoolMetrics

    private struct Member {
        var id: Int
        var connection: RedisConnection
        var inFlight = 0
    }

    private struct State {
        var members: [Member] = []
        var connecting = 0
        /// The connect that tasks wait on when no connection is open.
        var pendingConnect: EventLoopFuture<Void>?
        /// Set while Redis is unreachable: what the last connect attempt said.
        var outage: RedisError?
        var retry: Scheduled<Void>?
        var backoff: Duration
        var nextID = 0
        var cursor = 0
        var closed = false
    }

    /// Creates a pool; connections open on first use and are kept at `minimumConnections`. Its
    /// metrics go to `metrics` (default `MetricsSystem.factory`: the bootstrapped backend, or none).
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.metrics = RedisPoolMetrics(factory: metrics)
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.state = NIOLockedValueBox(State(backoff: configuration.reconnectInitialBackoff))
    }

    /// Creates a pool from a `redis://[user:password@]host:port/db` URL with default limits.
    public convenience init(url: String, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        throws(RedisError)
    {
        self.init(configuration: try RedisConfiguration(url: url), eventLoopGroup: eventLoopGroup)
    }

    /// Sends `command` on one of the pool's connections and returns its reply.
    public func send(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
        let member = try await lease()
        defer { release(member) }
        return try await member.connection.send(command)
    }

    /// Opens connections up to `minimumConnections` and waits for the first; throws if Redis
    /// cannot be reached.
    public func connect() async throws(RedisError) {
        let member = try await lease()
        release(member)
    }

    /// Open connections right now (for tests and metrics).
    public var openConnectionCount: Int {
        state.withLockedValue { $0.members.count }
    }

    /// Closes every connection and stops reconnecting; later commands fail with `.closed`.
    public func close() async {
        let members = state.withLockedValue { state -> [Member] in
            state.closed = true
            state.retry?.cancel()
            state.retry = nil
            return state.members
        }
        for member in members { await member.connection.close() }
    }

    private enum Lease {
        case ready(Member)
        case wait(EventLoopFuture<Void>)
        case fail(RedisError)
    }

    private func lease() async throws(RedisError) -> Member {
        while true {
            let decision = state.withLockedValue { state -> Lease in
                if state.closed { return .fail(RedisError(.closed, "the Redis connection pool is closed")) }
                if let index = leastBusy(state) {
                    state.cursor &+= 1
                    state.members[index].inFlight += 1
                    let member = state.members[index]
                    if member.inFlight > 1, state.members.count + state.connecting < configuration.maximumConnections,
                        state.outage == nil
                    {
                        _ = startConnect(&state)
                    }
                    return .ready(member)
                }
                if let outage = state.outage { return .fail(outage) }
                return .wait(state.pendingConnect ?? startConnect(&state))
            }
            switch decision {
            case .ready(let member):
                metrics.inUse.increment()
                return member
            case .fail(let error): throw error
            case .wait(let future):
                metrics.waiting.increment()
                defer { metrics.waiting.decrement() }
                do {
                    try await future.get()
                } catch let error as RedisError {
                    throw error
                } catch {
                    throw RedisError(.connectionFailed, "\(error)")
                }
            }
        }
    }

    private func release(_ member: Member) {
        metrics.inUse.decrement()
        state.withLockedValue { state in
            if let index = state.members.firstIndex(where: { $0.id == member.id }) {
                state.members[index].inFlight -= 1
            }
        }
    }

    /// The least busy open connection on the caller's event loop if there is one (its replies
    /// then resume the caller without waking another thread), else the least busy of all.
    private func leastBusy(_ state: State) -> Int? {
        guard !state.members.isEmpty else { return nil }
        let count = state.members.count
        var best: Int?
        var bestLocal: Int?
        for step in 0..<count {
            let index = (state.cursor + step) % count
            let member = state.members[index]
            guard member.connection.isActive else { continue }
            let isLocal = member.connection.eventLoop.inEventLoop
            // Nothing beats an idle connection on the caller's loop, and the scan is in tie order.
            if isLocal && member.inFlight == 0 { return index }
            if best == nil || member.inFlight < state.members[best!].inFlight { best = index }
            if isLocal,
                bestLocal == nil || member.inFlight < state.members[bestLocal!].inFlight
            {
                bestLocal = index
            }
        }
        return bestLocal ?? best
    }

    /// The event loop for a new connection: the caller's, when it is one of the group's and has
    /// no connection yet; else the group's next.
    private func eventLoopForNewConnection(_ state: State) -> any EventLoop {
        if let current = MultiThreadedEventLoopGroup.currentEventLoop,
            !state.members.contains(where: { $0.connection.eventLoop === current }),
            eventLoopGroup.makeIterator().contains(where: { $0 === current })
        {
            return current
        }
        return eventLoopGroup.next()
    }

    /// Starts one connect attempt; call with the lock held.
    private func startConnect(_ state: inout State) -> EventLoopFuture<Void> {
        state.connecting += 1
        let eventLoop = eventLoopForNewConnection(state)
        let promise = eventLoop.makePromise(of: Void.self)
        if state.members.isEmpty && state.pendingConnect == nil { state.pendingConnect = promise.futureResult }
        let configuration = configuration
        Task {
            do throws(RedisError) {
                let connection = try await RedisConnection.connect(configuration: configuration, eventLoop: eventLoop)
                self.connected(connection)
                promise.succeed()
            } catch {
                self.connectFailed(error)
                promise.fail(error)
            }
        }
        return promise.futureResult
    }

    private func connected(_ connection: RedisConnection) {
        let id = state.withLockedValue { state -> Int? in
            state.connecting -= 1
            state.pendingConnect = nil
            guard !state.closed else { return nil }
            state.outage = nil
            state.retry?.cancel()
            state.retry = nil
            state.backoff = configuration.reconnectInitialBackoff
            let id = state.nextID
            state.nextID += 1
            state.members.append(Member(id: id, connection: connection))
            topUp(&state)
            return id
        }
        guard let id else {
            Task { await connection.close() }
            return
        }
        metrics.connections.increment()
        connection.closeFuture.whenComplete { _ in self.disconnected(id) }
    }

    private func connectFailed(_ error: RedisError) {
        state.withLockedValue { state in
            state.connecting -= 1
            state.pendingConnect = nil
            guard !state.closed, state.members.isEmpty else { return }
            state.outage = RedisError(
                .unavailable, "Redis server unavailable, reconnecting in the background; last attempt: \(error.reason)")
            scheduleRetry(&state)
        }
    }

    private func disconnected(_ id: Int) {
        metrics.connections.decrement()
        let replacing = state.withLockedValue { state -> Bool in
            state.members.removeAll { $0.id == id }
            guard !state.closed else { return false }
            let before = state.connecting
            topUp(&state)
            return state.connecting > before
        }
        if replacing { metrics.reconnects.increment() }
    }

    /// Keeps `minimumConnections` open or connecting; call with the lock held.
    private func topUp(_ state: inout State) {
        guard state.outage == nil else { return }
        while state.members.count + state.connecting < configuration.minimumConnections {
            _ = startConnect(&state)
        }
    }

    private func scheduleRetry(_ state: inout State) {
        guard state.retry == nil else { return }
        let delay = state.backoff
        state.backoff = min(delay * 2, configuration.reconnectMaximumBackoff)
        state.retry = eventLoopGroup.next().scheduleTask(in: TimeAmount(delay)) {
            self.state.withLockedValue { state in
                state.retry = nil
                guard !state.closed, state.members.isEmpty, state.connecting == 0 else { return }
                self.metrics.reconnects.increment()
                _ = self.startConnect(&state)
            }
        }
    }
}
