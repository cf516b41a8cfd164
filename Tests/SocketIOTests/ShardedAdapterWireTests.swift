import JavaScriptFormats
import NIOCore
import Testing

@testable import SocketIO

/// Golden bytes of every message type of socket.io's cluster adapter as the sharded adapter of
/// `@socket.io/redis-adapter` 8.3 and later publish them, derived by hand from its source
/// (socket.io-adapter `lib/cluster-adapter.ts`, redis-adapter `lib/sharded-adapter.ts`):
/// `JSON.stringify({type, data, uid, nsp})` with the members in the order the source builds them,
/// notepack.io MessagePack when a kind that may carry binary does. Each is encoded, compared,
/// decoded and re-encoded byte for byte.
struct ShardedAdapterWireTests {
    private static let uid = "0123456789abcdef"
    private static let all = SocketIOBroadcastOptions()

    private static func request(_ kind: RedisAdapterRequest.Kind, id: String? = nil) -> ClusterAdapterMessage {
        ClusterAdapterMessage(uid: uid, namespace: "/", body: .request(RedisAdapterRequest(uid: uid, requestID: id, kind: kind)))
    }

    private static func response(_ kind: RedisAdapterResponse.Kind) -> ClusterAdapterMessage {
        ClusterAdapterMessage(uid: uid, namespace: "/", body: .response(RedisAdapterResponse(requestID: "r1", kind: kind)))
    }

    static let jsonMessages: [(String, ClusterAdapterMessage)] = [
        // io.to("red").except("blue").emit("hello", "node"): the packet is published before the
        // in-memory adapter gives it its nsp.
        (
            #"{"type":3,"data":{"packet":{"type":2,"data":["hello","node"]},"opts":{"rooms":["red"],"except":["blue"],"flags":{}}},"uid":"0123456789abcdef","nsp":"/"}"#,
            ClusterAdapterMessage(
                uid: uid, namespace: "/",
                body: .broadcast(RedisAdapterMessage(
                    uid: uid, packet: .event("hello", ["node"]), options: SocketIOBroadcastOptions(rooms: ["red"], except: ["blue"]))))
        ),
        // io.timeout(1000).emit("ask", cb): BROADCAST with a requestId.
        (
            #"{"type":3,"data":{"packet":{"type":2,"data":["ask"]},"requestId":"r1","opts":{"rooms":[],"except":[],"flags":{"timeout":1000}}},"uid":"0123456789abcdef","nsp":"/"}"#,
            request(.broadcast(.event("ask", []), all, flags: ["timeout": .uint(1000)]), id: "r1")
        ),
        (
            #"{"type":4,"data":{"opts":{"rooms":[],"except":["vip"],"flags":{}},"rooms":["lobby"]},"uid":"0123456789abcdef","nsp":"/"}"#,
            request(.join(SocketIOBroadcastOptions(except: ["vip"]), rooms: ["lobby"]))
        ),
        (
            #"{"type":5,"data":{"opts":{"rooms":["lobby"],"except":[],"flags":{}},"rooms":["lobby"]},"uid":"0123456789abcdef","nsp":"/"}"#,
            request(.leave(SocketIOBroadcastOptions(rooms: ["lobby"]), rooms: ["lobby"]))
        ),
        (
            #"{"type":6,"data":{"opts":{"rooms":["vip"],"except":[],"flags":{}},"close":true},"uid":"0123456789abcdef","nsp":"/"}"#,
            request(.disconnect(SocketIOBroadcastOptions(rooms: ["vip"]), close: true))
        ),
        (
            #"{"type":7,"data":{"opts":{"rooms":["red"],"except":[],"flags":{}},"requestId":"r1"},"uid":"0123456789abcdef","nsp":"/"}"#,
            request(.fetch(SocketIOBroadcastOptions(rooms: ["red"])), id: "r1")
        ),
        (
            #"{"type":9,"data":{"packet":["hello","world"]},"uid":"0123456789abcdef","nsp":"/"}"#,
            request(.serverSideEmit(["hello", "world"]))
        ),
        (
            #"{"type":9,"data":{"requestId":"r1","packet":["ping"]},"uid":"0123456789abcdef","nsp":"/"}"#,
            request(.serverSideEmit(["ping"]), id: "r1")
        ),
        (
            #"{"type":8,"data":{"requestId":"r1","sockets":[{"id":"s1","handshake":{"headers":{"host":"x"},"query":{"EIO":"4"},"auth":{}},"rooms":["s1"],"data":{}}]},"uid":"0123456789abcdef","nsp":"/"}"#,
            response(.sockets([SocketIOSocketDetails(id: "s1", rooms: ["s1"], data: [:], handshake: .init(headers: ["host": "x"], query: "EIO=4", auth: [:]))]))
        ),
        (#"{"type":10,"data":{"requestId":"r1","packet":"pong"},"uid":"0123456789abcdef","nsp":"/"}"#, response(.serverSideEmit("pong"))),
        // An acknowledgement without argument: `packet: undefined`, left out by JSON.
        (#"{"type":10,"data":{"requestId":"r1"},"uid":"0123456789abcdef","nsp":"/"}"#, response(.serverSideEmit(nil))),
        (#"{"type":11,"data":{"requestId":"r1","clientCount":2},"uid":"0123456789abcdef","nsp":"/"}"#, response(.broadcastClientCount(2))),
        (#"{"type":12,"data":{"requestId":"r1","packet":"yes"},"uid":"0123456789abcdef","nsp":"/"}"#, response(.broadcastAck("yes"))),
    ]

    @Test(arguments: jsonMessages.indices) func jsonMessage(_ index: Int) throws {
        let (text, message) = Self.jsonMessages[index]
        #expect(message.encode().map { String(decoding: $0, as: UTF8.self) } == text)
        let decoded = try #require(ClusterAdapterMessage(payload: Array(text.utf8)))
        #expect(decoded.encode().map { String(decoding: $0, as: UTF8.self) } == text)
    }

    @Test func aBroadcastWithABufferIsMessagePack() throws {
        // io.of("/chat").emit("file", Buffer.from([1, 2, 3])): hasBinary, so notepack:
        // 84 {a4 "type" 03, a4 "data" 82 {a6 "packet" 82 {a4 "type" 02, a4 "data" 92 [a4 "file",
        // c4 03 01 02 03]}, a4 "opts" 83 {a5 "rooms" 90, a6 "except" 90, a5 "flags" 80}},
        // a3 "uid" a1 "u", a3 "nsp" a5 "/chat"}
        func str(_ text: String) -> [UInt8] { [0xa0 | UInt8(text.utf8.count)] + Array(text.utf8) }
        let bytes: [UInt8] =
            [0x84] + str("type") + [0x03] + str("data") + [0x82] + str("packet") + [0x82] + str("type") + [0x02]
            + str("data") + [0x92] + str("file") + [0xc4, 0x03, 0x01, 0x02, 0x03] + str("opts") + [0x83] + str("rooms")
            + [0x90] + str("except") + [0x90] + str("flags") + [0x80] + str("uid") + str("u") + str("nsp") + str("/chat")
        let packet = SocketIOPacket.event("file", [.attachment(ByteBuffer(bytes: [1, 2, 3]))], namespace: "/chat")
        let message = ClusterAdapterMessage(
            uid: "u", namespace: "/chat", body: .broadcast(RedisAdapterMessage(uid: "u", packet: packet, options: Self.all)))
        #expect(message.encode() == bytes)
        let decoded = try #require(ClusterAdapterMessage(payload: bytes))
        guard case .broadcast(let broadcast) = decoded.body else {
            Issue.record("not a broadcast: \(decoded.body)")
            return
        }
        // The receiver's adapter gives the packet its namespace.
        #expect(broadcast.packet.data == packet.data)
        #expect(decoded.encode() == bytes)

        // A binary acknowledgement is MessagePack too; a join never is.
        let ack = Self.response(.broadcastAck(.attachment(ByteBuffer(bytes: [9]))))
        #expect(ack.encode()?.first == 0x84)
        #expect(Self.request(.join(Self.all, rooms: ["a"])).encode()?.first == UInt8(ascii: "{"))
    }

    @Test func heartbeatsAreKnownAndIgnored() throws {
        for type in [1, 2, 13] {
            let text = #"{"type":\#(type),"uid":"n","nsp":"/"}"#
            let decoded = try #require(ClusterAdapterMessage(payload: Array(text.utf8)))
            #expect(decoded.body == .other(ClusterAdapterMessage.MessageType(rawValue: UInt8(type))!))
        }
    }

    @Test func theClassicAdaptersOwnRequestsHaveNoClusterForm() {
        #expect(Self.request(.allRooms, id: "r").encode() == nil)
        #expect(Self.request(.sockets(rooms: []), id: "r").encode() == nil)
        #expect(Self.response(.rooms(["a"])).encode() == nil)
    }

    @Test func malformedPayloadsAreIgnored() {
        let payloads: [String] = [
            "", "{", #"{"type":3,"uid":"n"}"#, #"{"type":99,"uid":"n","nsp":"/"}"#,
            #"{"type":3,"uid":"n","nsp":"/","data":{"opts":{"rooms":[],"except":[]}}}"#,
            #"{"type":7,"uid":"n","nsp":"/","data":{"opts":{"rooms":[],"except":[]}}}"#,
            #"{"type":9,"uid":"n","nsp":"/","data":{"packet":[1]}}"#,
            #"{"type":11,"uid":"n","nsp":"/","data":{"requestId":"r","clientCount":1.5}}"#,
            #"{"type":8,"uid":"n","nsp":"/","data":{"sockets":[]}}"#,
        ]
        for text in payloads { #expect(ClusterAdapterMessage(payload: Array(text.utf8)) == nil, "\(text)") }
        #expect(ClusterAdapterMessage(payload: [0xc1]) == nil)
    }

    @Test func aMessageWithoutNamespaceTakesTheChannels() throws {
        // socket.io-adapter before 2.5.3 wrote `{uid, type, data}` only.
        let text = #"{"type":4,"data":{"opts":{"rooms":[],"except":[],"flags":{}},"rooms":["lobby"]},"uid":"n"}"#
        #expect(ClusterAdapterMessage(payload: Array(text.utf8)) == nil)
        let message = try #require(ClusterAdapterMessage(payload: Array(text.utf8), channelNamespace: "/chat"))
        #expect(message.namespace == "/chat")
        #expect(message.uid == "n")
        // A message's own `nsp` wins over the channel's.
        let named = #"{"type":4,"data":{"opts":{"rooms":[],"except":[],"flags":{}},"rooms":["lobby"]},"uid":"n","nsp":"/"}"#
        #expect(try #require(ClusterAdapterMessage(payload: Array(named.utf8), channelNamespace: "/chat")).namespace == "/")
    }
}
