import NIOCore
import Synchronization
import Testing

@testable import SocketIO

/// Records what the adapter hands to local sockets.
final class RecordingSockets: SocketIOLocalSockets {
    struct Record: Hashable {
        var sockets: Set<String>
        var packet: SocketIOEncodedPacket
    }

    private let deliveries = Mutex<[Record]>([])
    private let disconnections = Mutex<[(Set<String>, Bool)]>([])

    func deliver(_ packet: SocketIOEncodedPacket, to sockets: [String]) {
        deliveries.withLock { $0.append(Record(sockets: Set(sockets), packet: packet)) }
    }

    func disconnect(_ sockets: [String], close: Bool) {
        disconnections.withLock { $0.append((Set(sockets), close)) }
    }

    var delivered: [Record] { deliveries.withLock { $0 } }
    var disconnected: [(Set<String>, Bool)] { disconnections.withLock { $0 } }
}

@Suite("In-memory adapter")
struct InMemoryAdapterTests {
    /// a: rooms {a, red}; b: {b, red, blue}; c: {c, blue}; d: {d}
    func populated() async -> (InMemoryAdapter, RecordingSockets) {
        let sockets = RecordingSockets()
        let adapter = InMemoryAdapter(namespace: "/chat", localSockets: sockets)
        await adapter.addAll("a", rooms: ["a", "red"])
        await adapter.addAll("b", rooms: ["b", "red", "blue"])
        await adapter.addAll("c", rooms: ["c", "blue"])
        await adapter.addAll("d", rooms: ["d"])
        return (adapter, sockets)
    }

    static let selections: [(SocketIOBroadcastOptions, Set<String>)] = [
        (SocketIOBroadcastOptions(), ["a", "b", "c", "d"]),
        (SocketIOBroadcastOptions(rooms: ["red"]), ["a", "b"]),
        (SocketIOBroadcastOptions(rooms: ["red", "blue"]), ["a", "b", "c"]),
        (SocketIOBroadcastOptions(rooms: ["red", "blue"], except: ["b"]), ["a", "c"]),
        (SocketIOBroadcastOptions(except: ["blue"]), ["a", "d"]),
        (SocketIOBroadcastOptions(except: ["a"]), ["b", "c", "d"]),
        (SocketIOBroadcastOptions(rooms: ["green"]), []),
    ]

    @Test("broadcast reaches exactly the selected sockets, encoded once", arguments: selections)
    func broadcast(options: SocketIOBroadcastOptions, expected: Set<String>) async {
        let (adapter, sockets) = await populated()
        await adapter.broadcast(.event("news", ["x"]), options: options)
        if expected.isEmpty {
            #expect(sockets.delivered.isEmpty)
        } else {
            #expect(
                sockets.delivered == [
                    .init(
                        sockets: expected,
                        packet: SocketIOPacketEncoder.encode(.event("news", ["x"], namespace: "/chat")))
                ])
        }
        #expect(Set(await adapter.fetchSockets(options).map(\.id)) == expected)
    }

    @Test func membershipFollowsJoinsAndLeaves() async {
        let (adapter, _) = await populated()
        #expect(await adapter.sockets(rooms: ["blue"]) == ["b", "c"])
        #expect(await adapter.socketRooms("b") == ["b", "red", "blue"])
        await adapter.delete("b", room: "blue")
        #expect(await adapter.sockets(rooms: ["blue"]) == ["c"])
        await adapter.deleteAll("c")
        #expect(await adapter.sockets(rooms: ["blue"]) == [])
        #expect(await adapter.socketRooms("c") == nil)
        #expect(await adapter.sockets(rooms: []) == ["a", "b", "d"])
    }

    @Test func roomOperationsOnSelections() async {
        let (adapter, _) = await populated()
        await adapter.addSockets(SocketIOBroadcastOptions(rooms: ["red"]), rooms: ["vip"])
        #expect(await adapter.sockets(rooms: ["vip"]) == ["a", "b"])
        await adapter.delSockets(SocketIOBroadcastOptions(rooms: ["blue"]), rooms: ["vip", "red"])
        #expect(await adapter.sockets(rooms: ["vip"]) == ["a"])
        #expect(await adapter.sockets(rooms: ["red"]) == ["a"])
    }

    @Test func disconnectSocketsOfARoom() async {
        let (adapter, sockets) = await populated()
        await adapter.disconnectSockets(SocketIOBroadcastOptions(rooms: ["blue"]), close: true)
        #expect(sockets.disconnected.count == 1)
        #expect(sockets.disconnected.first?.0 == ["b", "c"])
        #expect(sockets.disconnected.first?.1 == true)
    }

    @Test func binaryBroadcastCarriesAttachments() async {
        let (adapter, sockets) = await populated()
        await adapter.broadcast(
            .event("file", [.attachment(ByteBuffer(bytes: [7]))]), options: SocketIOBroadcastOptions(rooms: ["d"]))
        #expect(sockets.delivered.first?.packet.text == #"51-/chat,["file",{"_placeholder":true,"num":0}]"#)
        #expect(sockets.delivered.first?.packet.attachments == [ByteBuffer(bytes: [7])])
    }

    /// A sink that keeps its own list of sockets: broadcasts to everyone go to it whole.
    final class ListingSockets: SocketIOLocalSockets {
        let recording = RecordingSockets()
        private let toAll = Mutex<[SocketIOEncodedPacket]>([])

        func deliver(_ packet: SocketIOEncodedPacket, to sockets: [String]) { recording.deliver(packet, to: sockets) }
        func disconnect(_ sockets: [String], close: Bool) { recording.disconnect(sockets, close: close) }
        func deliverToAll(_ packet: SocketIOEncodedPacket) -> Bool {
            toAll.withLock { $0.append(packet) }
            return true
        }

        var deliveredToAll: [SocketIOEncodedPacket] { toAll.withLock { $0 } }
    }

    @Test func broadcastToEveryoneUsesTheSinksOwnListAndSelectionsDoNot() async {
        let sockets = ListingSockets()
        let adapter = InMemoryAdapter(namespace: "/chat", localSockets: sockets)
        await adapter.addAll("a", rooms: ["a", "red"])
        await adapter.addAll("b", rooms: ["b"])
        await adapter.broadcast(.event("all", []), options: SocketIOBroadcastOptions())
        #expect(sockets.deliveredToAll == [SocketIOPacketEncoder.encode(.event("all", [], namespace: "/chat"))])
        #expect(sockets.recording.delivered.isEmpty)
        await adapter.broadcast(.event("red", []), options: SocketIOBroadcastOptions(rooms: ["red"]))
        await adapter.broadcast(.event("not-a", []), options: SocketIOBroadcastOptions(except: ["a"]))
        #expect(sockets.deliveredToAll.count == 1)
        #expect(sockets.recording.delivered.map(\.sockets) == [["a"], ["b"]])
    }
}
