import HTTPCore
import JavaScriptFormats
import RedisStore
import SesiorTesting
import SocketIO
import Testing

/// A sesior instance and a peer that speaks raw `@socket.io/redis-adapter` 8.x on the same
/// redis-server, standing in for a Node instance (npm is not reachable here): the peer publishes
/// and reads exactly the bytes Node's adapter writes and reads, on Node's channels.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ServerRedisNodePeerTests {
    private static let nodeUID = "node01"

    private static func withInstance(
        _ body: (SocketIOServer, SocketIORedisBus, ServerPollingClient, RedisConnectionPool) async throws -> Void
    ) async throws {
        try await RedisServer.withRunning { redis in
            let (io, bus, pool) = try await RedisTestInstance.make(redis, requestTimeout: .seconds(5))
            let client = try await ServerPollingClient.connect(io.engine)
            let peer = try RedisConnectionPool(url: redis.url)
            do {
                try await body(io, bus, client, peer)
            } catch {
                bus.stop()
                await pool.close()
                await peer.close()
                throw error
            }
            bus.stop()
            await pool.close()
            await peer.close()
        }
    }

    private static func next(_ iterator: inout RedisSubscription.Iterator) async -> RedisPubSubMessage? {
        await iterator.next()
    }

    @Test func aNodeBroadcastWithABufferReachesSesiorClients() async throws {
        try await Self.withInstance { _, _, client, peer in
            // socket.io: io.emit("from-node", Buffer.from([1, 2, 3])) on the Node instance.
            let message: MessagePackValue = .array([
                .string(Self.nodeUID),
                .map(["type": .uint(2), "data": .array([.string("from-node"), .binary([1, 2, 3])]), "nsp": .string("/")]),
                .map(["rooms": .array([]), "except": .array([]), "flags": .map([:])]),
            ])
            let receivers: Int = try await peer.publish(MessagePackEncoder.encode(message), to: "socket.io#/#")
            #expect(receivers == 1)
            let received: String = try await client.poll()
            #expect(received == "451-[\"from-node\",{\"_placeholder\":true,\"num\":0}]\u{1e}bAQID")
        }
    }

    @Test func aSesiorBroadcastIsWhatNodeReads() async throws {
        try await Self.withInstance { io, bus, _, peer in
            let broadcasts = try await peer.subscribe(toPatterns: ["socket.io#/#*"])
            defer { broadcasts.cancel() }
            var iterator = broadcasts.makeAsyncIterator()
            await io.to("room1").emit("hello", "node")
            let received = try #require(await Self.next(&iterator))
            #expect(received.channel == "socket.io#/#room1#")
            let expected: MessagePackValue = .array([
                .string(bus.uid),
                .map(["type": .uint(2), "data": .array([.string("hello"), .string("node")]), "nsp": .string("/")]),
                .map(["rooms": .array([.string("room1")]), "except": .array([]), "flags": .map([:])]),
            ])
            #expect(received.payload == MessagePackEncoder.encode(expected))
        }
    }

    @Test func sesiorAnswersNodeRequests() async throws {
        try await Self.withInstance { io, _, client, peer in
            let socket = try #require(io.main.sockets.first)
            let adapter = try #require(io.main.adapter as? RedisAdapter)
            adapter.onServerSideEmit { event, _ in event == "ping" ? "pong" : nil }
            let responses = try await peer.subscribe(to: ["socket.io-response#/#\(Self.nodeUID)#"])
            defer { responses.cancel() }
            var iterator = responses.makeAsyncIterator()

            // fetchSockets: sesior is a plain subscriber of the request channel (Node counts it
            // with PUBSUB NUMSUB).
            let numsub = try await peer.send("PUBSUB", "NUMSUB", "socket.io-request#/#")
            #expect(numsub.array?.last?.int == 1)
            let fetch = #"{"uid":"node01","requestId":"fetch1","type":5,"opts":{"rooms":[],"except":[]}}"#
            try await peer.publish(Array(fetch.utf8), to: "socket.io-request#/#")
            let fetched = try #require(await Self.next(&iterator))
            let answer = try JSONValue(parsing: fetched.payload)
            #expect(answer["requestId"] == "fetch1")
            #expect(answer["sockets"]?[0]?["id"]?.stringValue == socket.id)
            #expect(answer["sockets"]?[0]?["handshake"]?["query"]?["transport"] == "polling")

            // serverSideEmit with an ack.
            let emit = #"{"uid":"node01","requestId":"sse1","type":6,"data":["ping"]}"#
            try await peer.publish(Array(emit.utf8), to: "socket.io-request#/#")
            let acked = try #require(await Self.next(&iterator))
            #expect(String(decoding: acked.payload, as: UTF8.self) == #"{"type":6,"requestId":"sse1","data":"pong"}"#)

            // allRooms.
            let rooms = #"{"uid":"node01","requestId":"rooms1","type":1}"#
            try await peer.publish(Array(rooms.utf8), to: "socket.io-request#/#")
            let listed = try #require(await Self.next(&iterator))
            #expect(String(decoding: listed.payload, as: UTF8.self) == #"{"requestId":"rooms1","rooms":["\#(socket.id)"]}"#)

            // A broadcast with acks (MessagePack): the client count, then the client's answer.
            let broadcast: MessagePackValue = .map([
                "uid": .string(Self.nodeUID), "requestId": .string("bcast1"), "type": .uint(7),
                "packet": .map(["type": .uint(2), "data": .array([.string("ask")]), "nsp": .string("/"), "id": .uint(0)]),
                "opts": .map(["rooms": .array([]), "except": .array([]), "flags": .map(["timeout": .uint(5000)])]),
            ])
            try await peer.publish(MessagePackEncoder.encode(broadcast), to: "socket.io-request#/#")
            let asked = try await client.poll()
            let id = asked.dropFirst(2).prefix { $0.isNumber }
            #expect(asked == "42\(id)[\"ask\"]")
            let count = try #require(await Self.next(&iterator))
            #expect(String(decoding: count.payload, as: UTF8.self) == #"{"type":8,"requestId":"bcast1","clientCount":1}"#)
            try await client.post("43\(id)[\"yes\"]")
            let ack = try #require(await Self.next(&iterator))
            let expectedAck: MessagePackValue = .map(["type": .uint(9), "requestId": .string("bcast1"), "packet": .string("yes")])
            #expect(ack.payload == MessagePackEncoder.encode(expectedAck))

            // socketsJoin from Node (not answered): applied locally.
            let join = #"{"uid":"node01","type":2,"opts":{"rooms":[],"except":[]},"rooms":["from-node"]}"#
            try await peer.publish(Array(join.utf8), to: "socket.io-request#/#")
            #expect(try await eventually { await socket.rooms.contains("from-node") })
        }
    }

    @Test func nodeAnswersSesiorRequests() async throws {
        try await Self.withInstance { io, _, _, peer in
            // The Node instance answers on the shared response channel (its default,
            // publishOnSpecificResponseChannel: false).
            let requests = try await peer.subscribe(to: ["socket.io-request#/#"])
            let responder = Task {
                for await message in requests {
                    guard let request = try? JSONValue(parsing: message.payload), request["type"] == 5,
                        let id = request["requestId"]?.stringValue
                    else { continue }
                    let answer = #"{"requestId":"\#(id)","sockets":[{"id":"nodesock","handshake":{"headers":{"x-team":"node"},"time":"t","address":"::1","xdomain":false,"secure":false,"issued":1,"url":"/","query":{"EIO":"4"},"auth":{}},"rooms":["nodesock","n"],"data":{"user":"ada"}}]}"#
                    _ = try? await peer.publish(Array(answer.utf8), to: "socket.io-response#/#")
                }
            }
            defer {
                requests.cancel()
                responder.cancel()
            }
            let sockets = try await io.main.fetchSockets()
            #expect(sockets.count == 2)
            let remote = try #require(sockets.first { $0.id == "nodesock" })
            #expect(remote.rooms == ["nodesock", "n"])
            #expect(remote.data["user"] == "ada")
            #expect(remote.handshake.headers["x-team"] == "node")
        }
    }
}
