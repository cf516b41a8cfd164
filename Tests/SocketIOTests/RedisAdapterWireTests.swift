import HTTPCore
import JavaScriptFormats
import NIOCore
import Testing

@testable import SocketIO

/// Golden bytes of every message kind of `@socket.io/redis-adapter` 8.x, derived by hand from its
/// source (`lib/index.ts`): what each kind's writer (`notepack.encode` or `JSON.stringify`) puts
/// on Redis. Each is encoded, compared, decoded and re-encoded byte for byte.
struct RedisAdapterWireTests {
    private static func str(_ text: String) -> [UInt8] {
        // fixstr: 0xa0 | length (every string below is shorter than 32 bytes).
        [0xa0 | UInt8(text.utf8.count)] + Array(text.utf8)
    }

    @Test func broadcast() throws {
        // io.emit("hello", "world") on instance "abc123":
        // [uid, {type: 2, data: ["hello", "world"], nsp: "/"}, {rooms: [], except: [], flags: {}}]
        // 93 fixarray 3 · a6 "abc123" · 83 fixmap 3 {a4 "type" 02, a4 "data" 92 a5 "hello" a5 "world",
        // a3 "nsp" a1 "/"} · 83 {a5 "rooms" 90, a6 "except" 90, a5 "flags" 80}
        let bytes: [UInt8] =
            [0x93] + Self.str("abc123") + [0x83] + Self.str("type") + [0x02] + Self.str("data") + [0x92]
            + Self.str("hello") + Self.str("world") + Self.str("nsp") + Self.str("/") + [0x83] + Self.str("rooms")
            + [0x90] + Self.str("except") + [0x90] + Self.str("flags") + [0x80]
        let message = RedisAdapterMessage(
            uid: "abc123", packet: .event("hello", ["world"]), options: SocketIOBroadcastOptions())
        #expect(message.encode() == bytes)
        #expect(message.channel(key: "socket.io") == "socket.io#/#")
        let decoded = try #require(RedisAdapterMessage(payload: bytes))
        #expect(decoded == message)
        #expect(decoded.encode() == bytes)
    }

    @Test func broadcastToOneRoomWithBinary() throws {
        // io.of("/chat").to("r1").except("sid").emit("file", Buffer.from([1, 2, 3])):
        // the Buffer stays in data as bin 8 (c4 03 01 02 03), the packet type stays 2 (EVENT), and a
        // single room moves the message to the room's channel.
        let bytes: [UInt8] =
            [0x93] + Self.str("u") + [0x83] + Self.str("type") + [0x02] + Self.str("data") + [0x92] + Self.str("file")
            + [0xc4, 0x03, 0x01, 0x02, 0x03] + Self.str("nsp") + Self.str("/chat") + [0x83] + Self.str("rooms") + [0x91]
            + Self.str("r1") + Self.str("except") + [0x91] + Self.str("sid") + Self.str("flags") + [0x80]
        let packet = SocketIOPacket.event("file", [.attachment(ByteBuffer(bytes: [1, 2, 3]))], namespace: "/chat")
        let message = RedisAdapterMessage(uid: "u", packet: packet, options: SocketIOBroadcastOptions(rooms: ["r1"], except: ["sid"]))
        #expect(message.encode() == bytes)
        #expect(message.channel(key: "socket.io") == "socket.io#/chat#r1#")
        let decoded = try #require(RedisAdapterMessage(payload: bytes))
        #expect(decoded.packet == packet)
        #expect(decoded.encode() == bytes)
    }

    @Test func broadcastWithAckRequest() throws {
        // BROADCAST (7), written with notepack:
        // {uid: "u", requestId: "r", type: 7, packet: {type: 2, data: ["e"], nsp: "/", id: 3},
        //  opts: {rooms: [], except: [], flags: {timeout: 1000}}}; 1000 = uint 16 cd 03 e8.
        let bytes: [UInt8] =
            [0x85] + Self.str("uid") + Self.str("u") + Self.str("requestId") + Self.str("r") + Self.str("type") + [0x07]
            + Self.str("packet") + [0x84] + Self.str("type") + [0x02] + Self.str("data") + [0x91] + Self.str("e")
            + Self.str("nsp") + Self.str("/") + Self.str("id") + [0x03] + Self.str("opts") + [0x83] + Self.str("rooms")
            + [0x90] + Self.str("except") + [0x90] + Self.str("flags") + [0x81] + Self.str("timeout") + [0xcd, 0x03, 0xe8]
        let request = RedisAdapterRequest(
            uid: "u", requestID: "r",
            kind: .broadcast(.event("e", [], id: 3), SocketIOBroadcastOptions(local: true), flags: ["timeout": .number(1000)]))
        #expect(request.encode() == bytes)
        let decoded = try #require(RedisAdapterRequest(payload: bytes))
        #expect(decoded == request)
        #expect(decoded.encode() == bytes)
    }

    @Test func broadcastAckResponses() throws {
        // BROADCAST_ACK (9) with notepack: {type: 9, requestId: "r", packet: ["ok"]}.
        let ack: [UInt8] = [0x83] + Self.str("type") + [0x09] + Self.str("requestId") + Self.str("r") + Self.str("packet") + [0x91] + Self.str("ok")
        let response = RedisAdapterResponse(requestID: "r", kind: .broadcastAck(["ok"]))
        #expect(response.encode() == ack)
        #expect(RedisAdapterResponse(payload: ack) == response)
        // BROADCAST_CLIENT_COUNT (8) with JSON.stringify.
        try Self.checkJSON(#"{"type":8,"requestId":"r","clientCount":2}"#, response: RedisAdapterResponse(requestID: "r", kind: .broadcastClientCount(2)))
    }

    /// The request kinds Node writes with `JSON.stringify`, members in its order.
    static let jsonRequests: [(String, RedisAdapterRequest)] = [
        (#"{"uid":"u","requestId":"r","type":0,"rooms":["a"]}"#, RedisAdapterRequest(uid: "u", requestID: "r", kind: .sockets(rooms: ["a"]))),
        (#"{"uid":"u","requestId":"r","type":1}"#, RedisAdapterRequest(uid: "u", requestID: "r", kind: .allRooms)),
        (#"{"uid":"u","type":2,"opts":{"rooms":["a"],"except":[]},"rooms":["b","c"]}"#,
         RedisAdapterRequest(uid: "u", requestID: nil, kind: .join(SocketIOBroadcastOptions(rooms: ["a"], local: true), rooms: ["b", "c"]))),
        (#"{"uid":"u","type":3,"opts":{"rooms":[],"except":["x"]},"rooms":["b"]}"#,
         RedisAdapterRequest(uid: "u", requestID: nil, kind: .leave(SocketIOBroadcastOptions(except: ["x"], local: true), rooms: ["b"]))),
        (#"{"uid":"u","type":4,"opts":{"rooms":[],"except":[]},"close":true}"#,
         RedisAdapterRequest(uid: "u", requestID: nil, kind: .disconnect(SocketIOBroadcastOptions(local: true), close: true))),
        (#"{"uid":"u","requestId":"r","type":5,"opts":{"rooms":["red"],"except":[]}}"#,
         RedisAdapterRequest(uid: "u", requestID: "r", kind: .fetch(SocketIOBroadcastOptions(rooms: ["red"], local: true)))),
        (#"{"uid":"u","type":6,"data":["ping",1]}"#, RedisAdapterRequest(uid: "u", requestID: nil, kind: .serverSideEmit(["ping", 1]))),
        (#"{"uid":"u","requestId":"r","type":6,"data":["ping",{"a":null}]}"#,
         RedisAdapterRequest(uid: "u", requestID: "r", kind: .serverSideEmit(["ping", ["a": nil]]))),
    ]

    @Test(arguments: jsonRequests.indices) func jsonRequest(_ index: Int) throws {
        let (text, request) = Self.jsonRequests[index]
        #expect(String(decoding: request.encode(), as: UTF8.self) == text)
        let decoded = try #require(RedisAdapterRequest(payload: Array(text.utf8)))
        #expect(decoded == request)
        #expect(String(decoding: decoded.encode(), as: UTF8.self) == text)
    }

    @Test func jsonResponses() throws {
        try Self.checkJSON(#"{"requestId":"r","sockets":["s1","s2"]}"#, response: RedisAdapterResponse(requestID: "r", kind: .socketIDs(["s1", "s2"])))
        try Self.checkJSON(#"{"requestId":"r","rooms":["a","s1"]}"#, response: RedisAdapterResponse(requestID: "r", kind: .rooms(["a", "s1"])))
        try Self.checkJSON(#"{"type":6,"requestId":"r","data":"pong"}"#, response: RedisAdapterResponse(requestID: "r", kind: .serverSideEmit("pong")))
        let details = SocketIOSocketDetails(
            id: "s1", rooms: ["red", "s1"], data: ["user": "bob"],
            handshake: .init(headers: ["host": "x"], query: "EIO=4&transport=polling", auth: ["token": "t"]))
        try Self.checkJSON(
            #"{"requestId":"r","sockets":[{"id":"s1","handshake":{"headers":{"host":"x"},"query":{"EIO":"4","transport":"polling"},"auth":{"token":"t"}},"rooms":["red","s1"],"data":{"user":"bob"}}]}"#,
            response: RedisAdapterResponse(requestID: "r", kind: .sockets([details])))
        try Self.checkJSON(#"{"requestId":"r","sockets":[]}"#, response: RedisAdapterResponse(requestID: "r", kind: .sockets([])))
    }

    @Test func nodeHandshakeFieldsAreRead() throws {
        // A Node instance's REMOTE_FETCH answer carries the whole handshake.
        let text = #"{"requestId":"r","sockets":[{"id":"n1","handshake":{"headers":{"x-team":"red"},"time":"now","address":"::1","xdomain":false,"secure":false,"issued":1,"url":"/socket.io/?EIO=4","query":{"EIO":"4"},"auth":{}},"rooms":["n1"],"data":{}}]}"#
        let response = try #require(RedisAdapterResponse(payload: Array(text.utf8)))
        guard case .sockets(let sockets) = response.kind else { Issue.record("not a fetch answer"); return }
        #expect(sockets.first?.id == "n1")
        #expect(sockets.first?.handshake.headers["x-team"] == "red")
        #expect(sockets.first?.handshake.query == "EIO=4")
    }

    @Test func aRemoteHandshakeQueryKeepsItsValues() throws {
        // Node parses the query into an object; values may hold what a query string escapes.
        // (Found by RedisAdapterFuzz: joined unescaped, `a&b=c` came back as two parameters, and
        // a `%f6` in a value was decoded on the next pass.)
        let text = #"{"requestId":"r","sockets":[{"id":"n1","handshake":{"headers":{},"query":{"EIO":"4","token":"a&b=c","sum":"1+1 %f6"},"auth":{}},"rooms":["n1"],"data":{}}]}"#
        let response = try #require(RedisAdapterResponse(payload: Array(text.utf8)))
        guard case .sockets(let sockets) = response.kind, let socket = sockets.first else {
            Issue.record("not a fetch answer")
            return
        }
        let query = QueryParameters(query: Substring(socket.handshake.query))
        #expect(query["token"] == "a&b=c")
        #expect(query["sum"] == "1+1 %f6")
        #expect(query.count == 3)
        // Published again, it reads back the same.
        let again = try #require(RedisAdapterResponse(payload: response.encode()))
        #expect(again == response)
    }

    @Test func javaScriptValuesBecomeWhatJSONStringifySees() {
        // A Date travels as fixext 8; an event argument then sees Date#toJSON().
        #expect(SocketIOValue(messagePack: .date(milliseconds: 1_700_000_000_000)) == "2023-11-14T22:13:20.000Z")
        #expect(SocketIOValue(messagePack: .date(milliseconds: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(SocketIOValue(messagePack: .date(milliseconds: -1)) == "1969-12-31T23:59:59.999Z")
        #expect(SocketIOValue(messagePack: .date(milliseconds: 951_782_400_123)) == "2000-02-29T00:00:00.123Z")
        // undefined: null in an array, left out of an object.
        #expect(SocketIOValue(messagePack: .array([.undefined, .map(["a": .undefined, "b": .null])])) == [nil, ["b": nil]])
        // an ArrayBuffer (ext type 0) is binary like a Buffer.
        #expect(SocketIOValue(messagePack: .ext(type: 0, data: [1])) == .attachment(ByteBuffer(bytes: [1])))
    }

    @Test func malformedPayloadsAreIgnored() {
        for bytes in [[], [0xc1], Array("{\"uid\":1}".utf8), [0x93, 0xa1, 0x75], [0x81, 0xa3, 0x75, 0x69, 0x64, 0xa1, 0x75]] as [[UInt8]] {
            #expect(RedisAdapterMessage(payload: bytes) == nil)
            #expect(RedisAdapterRequest(payload: bytes) == nil)
            #expect(RedisAdapterResponse(payload: bytes) == nil)
        }
    }

    private static func checkJSON(_ text: String, response: RedisAdapterResponse) throws {
        #expect(String(decoding: response.encode(), as: UTF8.self) == text)
        let decoded = try #require(RedisAdapterResponse(payload: Array(text.utf8)))
        #expect(decoded == response)
        #expect(String(decoding: decoded.encode(), as: UTF8.self) == text)
    }
}
