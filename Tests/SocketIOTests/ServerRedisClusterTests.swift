import HTTPCore
import JavaScriptFormats
import NIOConcurrencyHelpers
import RedisStore
import SesiorTesting
import SocketIO
import Testing

/// Three SocketIOServer instances on one redis-server through the Redis adapter, on the classic
/// and on the sharded bus (in each subscription mode): every message kind of
/// `@socket.io/redis-adapter` exchanged between them (broadcasts with rooms and exclusions,
/// broadcasts with acks, fetchSockets, remote join/leave/disconnect, serverSideEmit with acks,
/// allRooms), and an instance that is gone.
@Suite(.serialized) struct ServerRedisClusterTests {
    /// Three instances with one polling client each (instance A, B, C in that order).
    private typealias Instance = (io: SocketIOServer, bus: any SocketIOClusterBus, client: ServerPollingClient)

    private static func withCluster(
        _ adapter: RedisTestInstance.Adapter, requestTimeout: Duration = .seconds(10),
        _ body: (RedisServer, [Instance]) async throws -> Void
    ) async throws {
        try await RedisServer.withRunning { redis in
            var instances: [Instance] = []
            var pools: [RedisConnectionPool] = []
            for _ in 0..<3 {
                let (io, bus, pool) = try await RedisTestInstance.make(redis, requestTimeout: requestTimeout, adapter: adapter)
                instances.append((io, bus, try await ServerPollingClient.connect(io.engine)))
                pools.append(pool)
            }
            do {
                try await body(redis, instances)
            } catch {
                for instance in instances { instance.bus.stop() }
                for pool in pools { await pool.close() }
                throw error
            }
            for instance in instances { instance.bus.stop() }
            for pool in pools { await pool.close() }
        }
    }

    private static func socket(of instance: Instance) throws -> SocketIOSocket
    {
        try #require(instance.io.main.sockets.first { $0.engineID == instance.client.sid })
    }

    /// Waits until `count` instances subscribed the shard channel of `room`, when `adapter` gives
    /// it one (the dynamic modes; socket-id rooms in `dynamic-private` only): the SSUBSCRIBE goes
    /// out on the bus's own connection after the join, and a broadcast published before Redis
    /// took it would miss that instance.
    private static func roomChannelSubscribed(
        _ redis: RedisServer, _ adapter: RedisTestInstance.Adapter, _ room: String, by count: Int, socketID: Bool = false
    ) async throws {
        guard case .sharded(let mode) = adapter, mode == .dynamicPrivate || (mode == .dynamic && !socketID) else { return }
        let peer = try RedisConnectionPool(url: redis.url)
        let subscribed = try await eventually {
            (try? await peer.send("PUBSUB", "SHARDNUMSUB", "socket.io#/#\(room)#").array?.last?.int) == count
        }
        await peer.close()
        #expect(subscribed, "\(count) instances subscribe the channel of room \(room)")
    }

    @Test(arguments: RedisTestInstance.Adapter.all)
    func broadcastsWithRoomsAndExceptReachTheRightSockets(_ adapter: RedisTestInstance.Adapter) async throws {
        try await Self.withCluster(adapter) { redis, cluster in
            let (a, b, c) = (cluster[0], cluster[1], cluster[2])
            try await Self.socket(of: b).join("red")
            try await Self.socket(of: c).join("red")
            try await Self.socket(of: c).join("blue")
            try await Self.roomChannelSubscribed(redis, adapter, "red", by: 2)
            try await Self.roomChannelSubscribed(redis, adapter, "blue", by: 1)

            await a.io.to("red").except("blue").emit("news", "red, not blue")
            #expect(try await b.client.poll() == #"42["news","red, not blue"]"#)
            #expect(try await c.client.pollOnce() == "")
            #expect(try await a.client.pollOnce() == "")

            // Several rooms travel on the namespace channel, one room on its own channel.
            await b.io.to("red", "blue").emit("multi", 1)
            #expect(try await c.client.poll() == #"42["multi",1]"#)
            #expect(try await b.client.poll() == #"42["multi",1]"#)
            await b.io.to("blue").emit("single", 2)
            #expect(try await c.client.poll() == #"42["single",2]"#)
            #expect(try await a.client.pollOnce() == "")

            // A socket's broadcast skips the sender only.
            try await Self.socket(of: a).broadcast.emit("from-a")
            #expect(try await b.client.poll() == #"42["from-a"]"#)
            #expect(try await c.client.poll() == #"42["from-a"]"#)

            // `local` stays on the instance.
            await a.io.main.all.local.emit("local-only")
            #expect(try await a.client.poll() == #"42["local-only"]"#)
            #expect(try await b.client.pollOnce() == "")

            // To one socket of another instance (its own channel in dynamic-private, the
            // namespace channel otherwise).
            let direct = try Self.socket(of: c).id
            try await Self.roomChannelSubscribed(redis, adapter, direct, by: 1, socketID: true)
            await a.io.to(direct).emit("direct", 3)
            #expect(try await c.client.poll() == #"42["direct",3]"#)
            #expect(try await b.client.pollOnce() == "")
        }
    }

    @Test(arguments: [RedisTestInstance.Adapter.classic, .sharded(.dynamic)])
    func namespacesHaveTheirOwnChannels(_ adapter: RedisTestInstance.Adapter) async throws {
        try await Self.withCluster(adapter) { _, cluster in
            let (a, b) = (cluster[0], cluster[1])
            _ = a.io.of("/chat")
            _ = b.io.of("/chat")
            try await b.client.post("40/chat,")
            #expect(try await b.client.poll().hasPrefix("40/chat,{\"sid\":"))
            await a.io.of("/chat").emit("chat", "hi")
            #expect(try await b.client.poll() == #"42/chat,["chat","hi"]"#)
            #expect(try await eventually { (try? await a.io.of("/chat").fetchSockets().count) == 1 })
        }
    }

    /// A namespace made on an instance whose subscription is open is queried at once: until
    /// Redis confirmed its channels the query fails (`unavailable`) rather than returning a
    /// partial answer; then it hears every instance.
    @Test(arguments: RedisTestInstance.Adapter.all)
    func aNewNamespaceIsQueriedWholeOrRefused(_ adapter: RedisTestInstance.Adapter) async throws {
        try await Self.withCluster(adapter) { _, cluster in
            let (a, b) = (cluster[0], cluster[1])
            _ = b.io.of("/late")
            try await b.client.post("40/late,")
            #expect(try await b.client.poll().hasPrefix("40/late,{\"sid\":"))
            let late = a.io.of("/late")
            do {
                let sockets = try await late.fetchSockets()
                #expect(sockets.count == 1, "at once: every instance or none")
            } catch let error as SocketIOAdapterError {
                #expect("\(error)".contains("not subscribed"), "\(error)")
            }
            #expect(try await eventually { (try? await late.fetchSockets().count) == 1 })
        }
    }

    @Test(arguments: [RedisTestInstance.Adapter.classic, .sharded(.dynamic)])
    func acknowledgementsComeFromEveryInstance(_ adapter: RedisTestInstance.Adapter) async throws {
        try await Self.withCluster(adapter) { _, cluster in
            let a = cluster[0]
            let asked = Task { try await a.io.main.all.emitWithAck("ask", arguments: ["q"], timeout: .seconds(20)) }
            for (index, instance) in cluster.enumerated() {
                try await Self.answer(instance.client, with: "yes-\(index)")
            }
            #expect(Set(try await asked.value) == ["yes-0", "yes-1", "yes-2"])

            // One client that never answers: the broadcast fails at its timeout.
            let partial = Task { try await a.io.main.all.emitWithAck("ask", arguments: ["again"], timeout: .seconds(2)) }
            try await Self.answer(cluster[0].client, with: "yes")
            try await Self.answer(cluster[1].client, with: "yes")
            #expect(try await cluster[2].client.poll().hasPrefix("42"))
            await #expect(throws: SocketIOAckError.self) { try await partial.value }
        }
    }

    /// Reads an event with an ack id (`42<id>[...]`) and answers it.
    private static func answer(_ client: ServerPollingClient, with value: String) async throws {
        let packet = try await client.poll()
        let digits = packet.dropFirst(2).prefix { $0.isNumber }
        #expect(!digits.isEmpty, "no ack id in \(packet)")
        try await client.post("43\(digits)[\"\(value)\"]")
    }

    @Test(arguments: [RedisTestInstance.Adapter.classic, .sharded(.dynamic)])
    func fetchSocketsAndAllRoomsSpanTheCluster(_ adapter: RedisTestInstance.Adapter) async throws {
        try await Self.withCluster(adapter) { _, cluster in
            let (a, b, c) = (cluster[0], cluster[1], cluster[2])
            let onB = try Self.socket(of: b)
            await onB.join("red")
            onB.data["user"] = "bob"
            try await Self.socket(of: c).join("green")

            let everyone = try await a.io.main.fetchSockets()
            #expect(everyone.count == 3)
            let red = try await c.io.to("red").fetchSockets()
            #expect(red.map(\.id) == [onB.id])
            #expect(red.first?.data["user"] == "bob")
            #expect(red.first?.handshake.query.contains("transport=polling") == true)
            let notRed = try await a.io.except("red").fetchSockets()
            #expect(Set(notRed.map(\.id)) == Set([try Self.socket(of: a).id, try Self.socket(of: c).id]))

            let adapter = try #require(a.io.main.adapter as? RedisAdapter)
            let rooms = try await adapter.allRooms()
            #expect(rooms.isSuperset(of: ["red", "green", onB.id]))
            #expect(rooms.count == 5)
        }
    }

    @Test(arguments: [RedisTestInstance.Adapter.classic, .sharded(.dynamic)])
    func roomOperationsReachEveryInstance(_ adapter: RedisTestInstance.Adapter) async throws {
        try await Self.withCluster(adapter) { _, cluster in
            let (a, b, c) = (cluster[0], cluster[1], cluster[2])
            let (onA, onB, onC) = (try Self.socket(of: a), try Self.socket(of: b), try Self.socket(of: c))
            await onC.join("vip")
            await a.io.main.all.except("vip").socketsJoin("lobby")
            #expect(try await eventually { await onB.rooms.contains("lobby") })
            #expect(try await eventually { await onA.rooms.contains("lobby") })
            #expect(!(await onC.rooms.contains("lobby")))

            await c.io.to("lobby").socketsLeave("lobby")
            #expect(try await eventually { !(await onB.rooms.contains("lobby")) })

            await a.io.to("vip").disconnectSockets()
            #expect(try await c.client.poll() == "41")
            #expect(try await eventually { !onC.connected })
            #expect(onB.connected)
        }
    }

    @Test(arguments: [RedisTestInstance.Adapter.classic, .sharded(.dynamic)])
    func serverSideEmitWithAcksAndAnInstanceThatIsGone(_ adapter: RedisTestInstance.Adapter) async throws {
        try await Self.withCluster(adapter, requestTimeout: .seconds(1)) { redis, cluster in
            let adapters = try cluster.map { try #require($0.io.main.adapter as? RedisAdapter) }
            let heard = NIOLockedValueBox([String]())
            for (index, adapter) in adapters.enumerated() {
                adapter.onServerSideEmit { event, arguments in
                    heard.withLockedValue { $0.append("\(index):\(event):\(arguments.first?.stringValue ?? "")") }
                    return .string("pong-\(index)")
                }
            }
            await adapters[0].serverSideEmit("hello", arguments: ["world"])
            #expect(try await eventually { heard.withLockedValue { $0.count } == 2 })
            #expect(Set(heard.withLockedValue { $0 }) == ["1:hello:world", "2:hello:world"])

            #expect(Set(try await adapters[0].serverSideEmitWithAck("ping", arguments: [])) == ["pong-1", "pong-2"])

            // C leaves the cluster: A asks B alone and does not wait for C.
            cluster[2].bus.stop()
            #expect(try await eventually { (try? await adapters[0].serverSideEmitWithAck("ping", arguments: [])) == ["pong-1"] })

            // An instance still subscribed but gone silent (killed): the request fails at the timeout.
            let pool = try RedisConnectionPool(url: redis.url)
            let silent =
                if case .classic = adapter {
                    try await pool.subscribe(to: ["socket.io-request#/#"])
                } else {
                    try await pool.subscribe(toShardChannels: ["socket.io#/#"])
                }
            let started = ContinuousClock.now
            await #expect(throws: SocketIOAdapterError.self) { try await adapters[0].serverSideEmitWithAck("ping", arguments: []) }
            #expect(ContinuousClock.now - started >= .seconds(1))
            silent.cancel()
            await pool.close()
        }
    }
}
