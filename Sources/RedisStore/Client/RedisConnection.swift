import NIOCore
import NIOPosix

/// One TCP connection to Redis, logged in and on its database, with commands pipelined.
///
/// Any number of tasks may `send` at once; replies come back in order. Usually reached through
/// `RedisConnectionPool`; open one yourself for commands that need a connection of their own.
public final class RedisConnection: RedisClient, Sendable {
    private let channel: any Channel
    /// Whether a `READONLY` answer closes the connection: it was opened to the master Sentinel
    /// named, and a replica answering means a failover happened since (the pool reconnects and
    /// asks the Sentinels again).
    private let closesWhenReadOnly: Bool

    private init(channel: any Channel, closesWhenReadOnly: Bool = false) {
        self.channel = channel
        self.closesWhenReadOnly = closesWhenReadOnly
    }

    /// Opens a connection: TCP connect, then `AUTH` and `SELECT` when configured, then `PING`,
    /// all within `configuration.connectTimeout`.
    public static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()
    ) async throws(RedisError) -> RedisConnection {
        try await connect(configuration: configuration, eventLoop: eventLoop, onPush: nil)
    }

    static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop,
        onPush: (@Sendable (RedisPubSubMessage) -> Void)?
    ) async throws(RedisError) -> RedisConnection {
        guard let sentinel = configuration.sentinel else {
            return try await open(
                host: configuration.host, port: configuration.port, configuration: configuration, eventLoop: eventLoop,
                onPush: onPush)
        }
        // Each Sentinel in turn: one that is stale (cut off, still naming a dead or demoted
        // master) must not hide the others' answer.
        var failures: [String] = []
        for address in sentinel.sentinels {
            do throws(RedisError) {
                let (host, port) = try await masterAddress(
                    asking: address, sentinel, configuration: configuration, eventLoop: eventLoop)
                let connection = try await open(
                    host: host, port: port, configuration: configuration, eventLoop: eventLoop, onPush: onPush,
                    closesWhenReadOnly: true)
                if let role = try await role(of: connection), role != "master" {
                    await connection.close()
                    throw RedisError(
                        .connectionFailed,
                        "names \(host):\(port) master '\(sentinel.masterName)', but it is a \(role) (failover under way?)")
                }
                return connection
            } catch {
                failures.append("Sentinel \(address.host):\(address.port): \(error.reason)")
            }
        }
        throw RedisError(
            .connectionFailed,
            "no Sentinel led to master '\(sentinel.masterName)': \(failures.joined(separator: "; "))")
    }

    /// The server's role from `ROLE` (`master`, `slave`, …), or nil when the login may not ask
    /// (`ROLE` is an `@admin` command an ACL may deny; a replica is then found by its `READONLY`).
    private static func role(of connection: RedisConnection) async throws(RedisError) -> String? {
        do {
            let reply = try await connection.send(RedisCommand(["ROLE"]))
            return reply.array?.first?.string ?? "server of unknown role"
        } catch {
            if error.kind == .server && error.reason.contains("NOPERM") { return nil }
            await connection.close()
            throw error
        }
    }

    /// The address Sentinel `address` gives for `sentinel.masterName`.
    private static func masterAddress(
        asking address: RedisSentinelConfiguration.Address, _ sentinel: RedisSentinelConfiguration,
        configuration: RedisConfiguration, eventLoop: any EventLoop
    ) async throws(RedisError) -> (host: String, port: Int) {
        var asking = configuration
        asking.sentinel = nil
        asking.username = nil
        asking.password = sentinel.password
        asking.database = 0
        let connection = try await open(
            host: address.host, port: address.port, configuration: asking, eventLoop: eventLoop, onPush: nil)
        let reply: RESPValue
        do {
            reply = try await connection.send(RedisCommand(["SENTINEL", "get-master-addr-by-name", sentinel.masterName]))
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        guard let parts = reply.array, parts.count == 2, let host = parts[0].string,
            let port = parts[1].string.flatMap({ Int($0) })
        else { throw RedisError(.connectionFailed, "does not know master '\(sentinel.masterName)'") }
        return (host, port)
    }

    /// Opens a connection to `host:port` with `configuration`'s login, database and timeouts.
    private static func open(
        host: String, port: Int, configuration: RedisConfiguration, eventLoop: any EventLoop,
        onPush: (@Sendable (RedisPubSubMessage) -> Void)?, closesWhenReadOnly: Bool = false
    ) async throws(RedisError) -> RedisConnection {
        let deadline = NIODeadline.now() + TimeAmount(configuration.connectTimeout)
        let address = "\(host):\(port)"
        let commandTimeout = TimeAmount(configuration.commandTimeout)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        RedisCommandHandler(commandTimeout: commandTimeout, onPush: onPush))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch let error as ChannelError where error == .connectTimeout(TimeAmount(configuration.connectTimeout)) {
            throw RedisError(.connectTimeout, "connecting to \(address) took longer than \(TimeAmount(configuration.connectTimeout).prettyDescription)")
        } catch {
            throw RedisError(.connectionFailed, "cannot connect to Redis at \(address) (connection refused / server unavailable): \(error)")
        }
        let connection = RedisConnection(channel: channel, closesWhenReadOnly: closesWhenReadOnly)
        let timeout = RedisError(
            .connectTimeout,
            "Redis at \(address) did not answer the handshake within \(TimeAmount(configuration.connectTimeout).prettyDescription)")
        do {
            if let password = configuration.password {
                let auth = configuration.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
                _ = try await connection.send(RedisCommand(auth), deadline: deadline, timeoutError: timeout)
            }
            if configuration.database != 0 {
                _ = try await connection.send(
                    RedisCommand(["SELECT", String(configuration.database)]), deadline: deadline, timeoutError: timeout)
            }
            _ = try await connection.send(RedisCommand(["PING"]), deadline: deadline, timeoutError: timeout)
        } catch {
            await connection.close()
            if error.kind == .server {
                throw RedisError(.connectionFailed, "Redis at \(address) refused the login: \(error.reason)")
            }
            throw error
        }
        return connection
    }

    /// Sends `command` and returns its reply. An error reply is thrown as `RedisError` of kind
    /// `.server`; errors nested inside an array stay values.
    public func send(_ command: RedisCommand) async throws(RedisError) -> RESPValue {
        try await send(command, deadline: nil, timeoutError: nil)
    }

    func send(_ command: RedisCommand, expectedReplies: Int = 1, deadline: NIODeadline?, timeoutError: RedisError?)
        async throws(RedisError) -> RESPValue
    {
        try await value(of: write(command, expectedReplies: expectedReplies, deadline: deadline, timeoutError: timeoutError))
    }

    /// Writes every command, then waits for their replies: one round trip for all of them (a
    /// subscription of thousands of shard channels, one SSUBSCRIBE each, after a reconnect).
    ///
    /// - Throws: `RedisError` for the first command that failed or was answered with an error.
    func sendAll(_ commands: [(command: RedisCommand, replies: Int)]) async throws(RedisError) {
        for reply in writeAll(commands) { _ = try await value(of: reply) }
    }

    /// Writes every command without a deadline, in order; the futures of their replies.
    @discardableResult
    func writeAll(_ commands: [(command: RedisCommand, replies: Int)]) -> [EventLoopFuture<RESPValue>] {
        commands.map { write($0.command, expectedReplies: $0.replies, deadline: nil, timeoutError: nil) }
    }

    /// The reply, or the error it is (a `READONLY` answer closes the connection when
    /// `closesWhenReadOnly`: the pool then reconnects to the master).
    @inline(__always)
    private func value(of reply: EventLoopFuture<RESPValue>) async throws(RedisError) -> RESPValue {
        let value: RESPValue
        do {
            value = try await reply.get()
        } catch {
            throw Self.redisError(error)
        }
        if case .error(let message) = value {
            // `contains`: an error raised inside a script wraps the READONLY (Redis 6).
            if closesWhenReadOnly && message.contains("READONLY") { channel.close(promise: nil) }
            throw .server(message)
        }
        return value
    }

    /// Hands `command` to the command handler; the future completes with its reply. (Synchronous,
    /// apart from `send`, whose async frame is allocated for every command; commands written from
    /// one thread off the event loop reach Redis in the order written.)
    @inline(never)
    func write(_ command: RedisCommand, expectedReplies: Int, deadline: NIODeadline?, timeoutError: RedisError?)
        -> EventLoopFuture<RESPValue>
    {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let bytes = command.encoded(allocator: channel.allocator)
        let request = RedisRequest(
            bytes: bytes, promise: promise, expectedReplies: expectedReplies, deadline: deadline, timeoutError: timeoutError)
        if channel.eventLoop.inEventLoop && channel.isActive {
            // The command handler is in the pipeline and takes the request now: it completes
            // the promise whatever happens next (reply, timeout, connection loss), so the write
            // needs no promise and callback of its own.
            channel.writeAndFlush(request, promise: nil)
        } else {
            channel.writeAndFlush(request).whenFailure { error in
                promise.fail((error as? RedisError) ?? .connectionLost)
            }
        }
        return promise.futureResult
    }

    /// `error` as a `RedisError` (kept out of `send`, whose async frame is allocated per command).
    @inline(never)
    static func redisError(_ error: any Error) -> RedisError {
        (error as? RedisError) ?? RedisError(.connectionLost, "\(error)")
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Completes when the connection has closed, for whatever reason.
    var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// The event loop the connection lives on.
    var eventLoop: any EventLoop { channel.eventLoop }

    /// Closes the connection; pending commands fail with `.connectionLost`.
    public func close() async {
        channel.close(promise: nil)
        try? await channel.closeFuture.get()
    }
}
