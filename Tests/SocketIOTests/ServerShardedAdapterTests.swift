import HTTPCore
import JavaScriptFormats
import RedisStore
import SesiorTesting
import SocketIO
import Testing

/// The sharded bus on a real redis-server: which shard channels each subscription mode holds as
/// rooms come and go, and a peer speaking the raw cluster-adapter format of Node's
/// `createShardedAdapter` (npm is not reachable here), reading and writing exactly its bytes.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ServerShardedAdapterTests {
    private static let nodeUID = "feedfacecafebeef"

    private static func withInstance(
        _ mode: SocketIOShardedRedisBus.SubscriptionMode,
        _ body: (SocketIOServer, SocketIOShardedRedisBus, ServerPollingClient, RedisConnectionPool) async throws -> Void
    ) async throws {
        try await RedisServer.withRunning { redis in
            let (io, bus, pool) = try await RedisTestInstance.make(redis, requestTimeout: .seconds(5), adapter: .sharded(mode))
            let sharded = try #require(bus as? SocketIOShardedRedisBus)
            let client = try await ServerPollingClient.connect(io.engine)
            let peer = try RedisConnectionPool(url: redis.url)
            defer { bus.stop() }
            try await body(io, sharded, client, peer)
            await pool.close()
            await peer.close()
        }
    }

    private static func shardChannels(_ peer: RedisConnectionPool) async throws -> Set<String> {
        Set(try await peer.send("PUBSUB", "SHARDCHANNELS").array?.compactMap(\.string) ?? [])
    }

    @Test(arguments: SocketIOShardedRedisBus.SubscriptionMode.allCases)
    func roomChannelsFollowTheSubscriptionMode(_ mode: SocketIOShardedRedisBus.SubscriptionMode) async throws {
        try await Self.withInstance(mode) { io, bus, _, peer in
            let socket = try #require(io.main.sockets.first)
            await socket.join("red")
            let base: Set = ["socket.io#/#", "socket.io#/#\(bus.uid)#"]
            let expected: Set<String> =
                switch mode {
                case .static: base
                case .dynamic: base.union(["socket.io#/#red#"])
                case .dynamicPrivate: base.union(["socket.io#/#red#", "socket.io#/#\(socket.id)#"])
                }
            // What the bus asks for changes with the join itself; Redis follows.
            #expect(bus.channels == expected)
            #expect(try await eventually { (try? await Self.shardChannels(peer)) == expected })
            await socket.leave("red")
            let left = mode == .dynamicPrivate ? base.union(["socket.io#/#\(socket.id)#"]) : base
            #expect(bus.channels == left)
            #expect(try await eventually { (try? await Self.shardChannels(peer)) == left })
            await socket.disconnect()
            #expect(try await eventually { bus.channels == base })
            #expect(try await eventually { (try? await Self.shardChannels(peer)) == base })
        }
    }

    @Test func aSesiorBroadcastIsWhatNodeReads() async throws {
        try await Self.withInstance(.dynamic) { io, bus, _, peer in
            let watched = try await peer.subscribe(toShardChannels: ["socket.io#/#", "socket.io#/#red#"])
            defer { watched.cancel() }
            var iterator = watched.makeAsyncIterator()
            await io.to("red").emit("hello", "node")
            let toRoom = try #require(await iterator.next())
            #expect(toRoom.channel == "socket.io#/#red#")
            #expect(
                String(decoding: toRoom.payload, as: UTF8.self)
                    == #"{"type":3,"data":{"packet":{"type":2,"data":["hello","node"]},"opts":{"rooms":["red"],"except":[],"flags":{}}},"uid":"\#(bus.uid)","nsp":"/"}"#)
            // A socket-id room (20 characters) goes on the namespace's channel in dynamic mode.
            let socket = try #require(io.main.sockets.first)
            await io.to(socket.id).emit("direct")
            let direct = try #require(await iterator.next())
            #expect(direct.channel == "socket.io#/#")
        }
    }

    @Test func nodeMessagesReachSesiorAndItsRequestsAreAnswered() async throws {
        try await Self.withInstance(.dynamic) { io, bus, client, peer in
            let socket = try #require(io.main.sockets.first)
            await socket.join("red")
            let adapter = try #require(io.main.adapter as? RedisAdapter)
            adapter.onServerSideEmit { event, _ in event == "ping" ? "pong" : nil }
            let responses = try await peer.subscribe(toShardChannels: ["socket.io#/#\(Self.nodeUID)#"])
            defer { responses.cancel() }
            var iterator = responses.makeAsyncIterator()
            #expect(try await eventually { (try? await Self.shardChannels(peer))?.contains("socket.io#/#red#") == true })

            // io.to("red").emit(...) on the Node instance, on the room's channel.
            let broadcast = #"{"type":3,"data":{"packet":{"type":2,"data":["from-node",1]},"opts":{"rooms":["red"],"except":[],"flags":{}}},"uid":"\#(Self.nodeUID)","nsp":"/"}"#
            #expect(try await peer.shardPublish(Array(broadcast.utf8), to: "socket.io#/#red#") == 1)
            #expect(try await client.poll() == #"42["from-node",1]"#)

            // socket.io-adapter before 2.5.3 wrote no `nsp`: the channel names the namespace.
            let withoutNamespace = #"{"type":3,"data":{"packet":{"type":2,"data":["from-older-node",2]},"opts":{"rooms":[],"except":[],"flags":{}}},"uid":"\#(Self.nodeUID)"}"#
            #expect(try await peer.shardPublish(Array(withoutNamespace.utf8), to: "socket.io#/#") == 1)
            #expect(try await client.poll() == #"42["from-older-node",2]"#)

            // fetchSockets from Node: answered on Node's response channel.
            let fetch = #"{"type":7,"data":{"opts":{"rooms":["red"],"except":[],"flags":{}},"requestId":"f1"},"uid":"\#(Self.nodeUID)","nsp":"/"}"#
            try await peer.shardPublish(Array(fetch.utf8), to: "socket.io#/#")
            let fetched = try #require(await iterator.next())
            let answer = try JSONValue(parsing: fetched.payload)
            #expect(answer["type"] == 8)
            #expect(answer["uid"]?.stringValue == bus.uid)
            #expect(answer["data"]?["requestId"] == "f1")
            #expect(answer["data"]?["sockets"]?[0]?["id"]?.stringValue == socket.id)

            // serverSideEmit with an ack.
            let emit = #"{"type":9,"data":{"requestId":"s1","packet":["ping"]},"uid":"\#(Self.nodeUID)","nsp":"/"}"#
            try await peer.shardPublish(Array(emit.utf8), to: "socket.io#/#")
            let acked = try #require(await iterator.next())
            #expect(
                String(decoding: acked.payload, as: UTF8.self)
                    == #"{"type":10,"data":{"requestId":"s1","packet":"pong"},"uid":"\#(bus.uid)","nsp":"/"}"#)

            // A broadcast with acks: the client count, then the client's answer.
            let ask = #"{"type":3,"data":{"packet":{"type":2,"data":["ask"]},"requestId":"b1","opts":{"rooms":[],"except":[],"flags":{"timeout":5000}}},"uid":"\#(Self.nodeUID)","nsp":"/"}"#
            try await peer.shardPublish(Array(ask.utf8), to: "socket.io#/#")
            let asked = try await client.poll()
            let id = asked.dropFirst(2).prefix { $0.isNumber }
            #expect(asked == "42\(id)[\"ask\"]")
            let count = try #require(await iterator.next())
            #expect(
                String(decoding: count.payload, as: UTF8.self)
                    == #"{"type":11,"data":{"requestId":"b1","clientCount":1},"uid":"\#(bus.uid)","nsp":"/"}"#)
            try await client.post("43\(id)[\"yes\"]")
            let ack = try #require(await iterator.next())
            #expect(
                String(decoding: ack.payload, as: UTF8.self)
                    == #"{"type":12,"data":{"requestId":"b1","packet":"yes"},"uid":"\#(bus.uid)","nsp":"/"}"#)

            // socketsJoin from Node.
            let join = #"{"type":4,"data":{"opts":{"rooms":[],"except":[],"flags":{}},"rooms":["from-node"]},"uid":"\#(Self.nodeUID)","nsp":"/"}"#
            try await peer.shardPublish(Array(join.utf8), to: "socket.io#/#")
            #expect(try await eventually { await socket.rooms.contains("from-node") })
        }
    }

    @Test func nodeAnswersSesiorQueries() async throws {
        try await Self.withInstance(.dynamic) { io, bus, _, peer in
            // The Node instance: subscribed to the namespace channel, answering FETCH_SOCKETS on
            // the requester's response channel.
            let requests = try await peer.subscribe(toShardChannels: ["socket.io#/#"])
            let responder = Task {
                for await message in requests {
                    guard let request = try? JSONValue(parsing: message.payload), request["type"] == 7,
                        let id = request["data"]?["requestId"]?.stringValue, let requester = request["uid"]?.stringValue
                    else { continue }
                    let answer = #"{"type":8,"data":{"requestId":"\#(id)","sockets":[{"id":"nodesock","handshake":{"headers":{},"time":"t","address":"::1","xdomain":false,"secure":false,"issued":1,"url":"/","query":{"EIO":"4"},"auth":{}},"rooms":["nodesock","n"],"data":{"user":"ada"}}]},"uid":"\#(Self.nodeUID)","nsp":"/"}"#
                    _ = try? await peer.shardPublish(Array(answer.utf8), to: "socket.io#/#\(requester)#")
                }
            }
            defer {
                requests.cancel()
                responder.cancel()
            }
            #expect(try await eventually { (try? await peer.send("PUBSUB", "SHARDNUMSUB", "socket.io#/#").array?.last?.int) == 2 })
            let everyone = try await io.main.fetchSockets()
            #expect(everyone.count == 2)
            let remote = try #require(everyone.first { $0.id == "nodesock" })
            #expect(remote.data["user"] == "ada")
            let adapter = try #require(io.main.adapter as? RedisAdapter)
            let rooms = try await adapter.allRooms()
            #expect(rooms.isSuperset(of: ["nodesock", "n"]))
            _ = bus
        }
    }
}
