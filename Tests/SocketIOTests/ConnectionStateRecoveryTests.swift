import HTTPCore
import JavaScriptFormats
import NIOConcurrencyHelpers
import NIOCore
import SocketIO
import Testing

/// Connection-state recovery as socket.io 4.6 does it, driven by in-process polling clients
/// that speak what socket.io-client sends: `pid` and the last offset in the CONNECT payload.
struct ConnectionStateRecoveryTests {
    private static func server(
        recovery: SocketIOConnectionStateRecovery? = SocketIOConnectionStateRecovery()
    ) -> SocketIOServer {
        SocketIOServer(
            configuration: SocketIOServerConfiguration(
                engine: EngineIOServerConfiguration(
                    engine: EngineIOConfiguration(pingInterval: .milliseconds(300), pingTimeout: .seconds(60))),
                connectionStateRecovery: recovery))
    }

    /// What one connection saw: its CONNECT answer's sid and pid, and the events after it.
    private struct Connected {
        let client: ServerPollingClient
        let socketID: String
        let privateID: String?
        var events: [[SocketIOValue]]
    }

    /// Opens a session, CONNECTs with `auth`, and reads until the answer and `events` events came.
    private static func connect(_ io: SocketIOServer, auth: String = "", events: Int = 0) async throws -> Connected {
        let client = try await ServerPollingClient.open(io.engine)
        try await client.post("40" + auth)
        var packets: [Substring] = []
        for _ in 0..<10 where packets.count < 1 + events {
            packets += try await client.poll().split(separator: "\u{1e}")
        }
        #expect(packets.count == 1 + events, "packets: \(packets)")
        let answer = try SocketIOValue(parsing: String(packets.first?.dropFirst(2) ?? ""))
        #expect(packets.first?.hasPrefix("40{") == true)
        let eventsSeen = try packets.dropFirst().map { packet in
            #expect(packet.hasPrefix("42["))
            return try SocketIOValue(parsing: String(packet.dropFirst(2))).arrayValue ?? []
        }
        return Connected(
            client: client, socketID: answer.objectValue?["sid"]?.stringValue ?? "",
            privateID: answer.objectValue?["pid"]?.stringValue, events: eventsSeen)
    }

    /// Reads until `count` events came (pings answered); returns them.
    private static func events(_ client: ServerPollingClient, count: Int) async throws -> [[SocketIOValue]] {
        var packets: [Substring] = []
        for _ in 0..<10 where packets.count < count { packets += try await client.poll().split(separator: "\u{1e}") }
        #expect(packets.count == count, "packets: \(packets)")
        return try packets.map { try SocketIOValue(parsing: String($0.dropFirst(2))).arrayValue ?? [] }
    }

    /// Closes the client's Engine.IO session as a lost connection does ("transport close") and
    /// waits until the server's socket is gone and its session kept.
    private static func loseConnection(_ connected: Connected, on io: SocketIOServer) async throws {
        let log = try #require(io.main.adapter.sessionLog)
        let kept = log.counts.sessions
        try await connected.client.post("1")
        #expect(try await eventually { io.main.socket(id: connected.socketID) == nil })
        #expect(try await eventually { log.counts.sessions == kept + 1 })
    }

    private static func recoveryAuth(_ connected: Connected, offset: String) -> String {
        #"{"pid":"\#(connected.privateID ?? "")","offset":"\#(offset)","token":"t"}"#
    }

    @Test func aReconnectingClientGetsItsIDRoomsDataAndTheEventsItMissedOnce() async throws {
        let io = Self.server()
        let seen = NIOLockedValueBox<[(id: String, recovered: Bool, rooms: Set<String>, data: SocketIOObject)]>([])
        io.onConnection { socket in
            if !socket.recovered {
                await socket.join("news")
                socket.data = ["user": "ann"]
            }
            let rooms = await socket.rooms
            seen.withLockedValue { $0.append((socket.id, socket.recovered, rooms, socket.data)) }
        }
        var first = try await Self.connect(io)
        #expect(first.privateID?.isEmpty == false)
        #expect(try await eventually { seen.withLockedValue { $0.count } == 1 })

        await io.emit("before", 1)
        let before = try await Self.events(first.client, count: 1)
        #expect(before.first?.prefix(2) == ["before", 1])
        let offset = try #require(before.first?.last?.stringValue, "no offset appended")
        first.events = before

        try await Self.loseConnection(first, on: io)
        await io.emit("everyone", 2)
        await io.to("news").emit("news", 3)
        await io.to("sports").emit("sports", 4)
        await io.except("news").emit("not-news", 5)
        await io.to(first.socketID).emit("direct", 6)

        let second = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: offset), events: 3)
        #expect(second.socketID == first.socketID)
        #expect(second.privateID == first.privateID)
        #expect(second.events.map { Array($0.prefix(2)) } == [["everyone", 2], ["news", 3], ["direct", 6]])
        #expect(second.events.allSatisfy { $0.count == 3 && $0.last?.stringValue != nil })

        #expect(try await eventually { seen.withLockedValue { $0.count } == 2 })
        let recovered = try #require(seen.withLockedValue { $0.last })
        #expect(recovered.id == first.socketID)
        #expect(recovered.recovered)
        #expect(recovered.rooms == [first.socketID, "news"])
        #expect(recovered.data == ["user": "ann"])

        // Nothing is replayed twice, and the recovered socket still gets what comes next.
        await io.to("news").emit("after", 7)
        #expect(try await Self.events(second.client, count: 1).first?.prefix(2) == ["after", 7])
    }

    @Test func aBroadcastWhileTheMiddlewareRunsIsReplayedOnce() async throws {
        let io = Self.server(recovery: SocketIOConnectionStateRecovery(skipMiddlewares: false))
        io.use { handshake in
            // The recovering connection's middleware broadcasts: after the session was found,
            // before the socket is back in its rooms and listed.
            if handshake.auth?.objectValue?["pid"] != nil { await io.emit("during", 2) }
            return .allow
        }
        let first = try await Self.connect(io)
        await io.emit("before", 1)
        let offset = try #require(try await Self.events(first.client, count: 1).first?.last?.stringValue)
        try await Self.loseConnection(first, on: io)
        let second = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: offset), events: 1)
        #expect(second.socketID == first.socketID)
        #expect(second.events.map { Array($0.prefix(2)) } == [["during", 2]])
        await io.emit("after", 3)
        #expect(try await Self.events(second.client, count: 1).map { Array($0.prefix(2)) } == [["after", 3]])
    }

    @Test func aSessionIsRecoveredOnceAndAnEmitToTheGoneSocketIsReplayed() async throws {
        let io = Self.server()
        let sockets = NIOLockedValueBox<[SocketIOSocket]>([])
        io.onConnection { socket in sockets.withLockedValue { $0.append(socket) } }
        let first = try await Self.connect(io)
        await io.emit("before", 1)
        let offset = try #require(try await Self.events(first.client, count: 1).first?.last?.stringValue)
        try await Self.loseConnection(first, on: io)
        // socket.emit on the disconnected socket is logged for its room, as socket.io does.
        try #require(sockets.withLockedValue { $0.first }).emit("direct", 2)
        let second = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: offset), events: 1)
        #expect(second.socketID == first.socketID)
        #expect(second.events.map { Array($0.prefix(2)) } == [["direct", 2]])
        // The gone socket object (a late disconnect handler, say) no longer changes the rooms of
        // the socket that has its id now.
        let old = try #require(sockets.withLockedValue { $0.first })
        await old.join("late")
        await old.leave(first.socketID)
        let recovered = try #require(io.main.socket(id: first.socketID))
        #expect(await recovered.rooms == [first.socketID])
        // The same pid again while the recovered socket is connected: a new socket, not a second
        // one with the same id.
        let third = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: offset))
        #expect(third.socketID != first.socketID)
        #expect(third.privateID != first.privateID)
        #expect(io.main.sockets.count == 2)
    }

    @Test func aClientLosingItsWebSocketRecoversWhatWasBroadcastMeanwhile() async throws {
        let io = Self.server()
        io.onConnection { socket in
            await socket.join("news")
            socket.on("shout") { arguments, _ in await io.emit("heard", arguments.first ?? .null) }
            socket.on("tell") { arguments, _ in await io.to("news").emit("news", arguments.first ?? .null) }
            socket.on("kept") { _, ack in
                ack?(.number(Double(io.main.adapter.sessionLog?.counts.sessions ?? -1)))
            }
        }
        var app = App()
        io.attach(to: &app)
        let http = HTTPServer(responder: app, configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0))
        try await http.start()
        let port = try #require(http.localAddress?.port)
        let result: [String: Any]
        do {
            result = try await InteropPython.run("recovery-websocket", url: "http://127.0.0.1:\(port)")
        } catch {
            await http.shutdown()
            throw error
        }
        await http.shutdown()
        let first = try #require(result["first"] as? [String: String])
        let again = try #require(result["again"] as? [String: String])
        #expect(again["sid"] == first["sid"], "recovered with the same id: \(result)")
        #expect(again["pid"] == first["pid"])
        #expect(result["kept"] as? Int == 1)
        #expect(result["missed"] as? [[String]] == [["heard", "two"], ["news", "three"]])
        #expect(result["after"] as? [[String]] == [["heard", "four"]])
        let offsets = try #require(result["offsets"] as? [String])
        #expect(offsets.count == 4)
        #expect(Set(offsets).count == 4, "every event has its own offset")
    }

    @Test func anEngineIOV3SocketKeepsNoSession() async throws {
        let io = SocketIOServer(
            configuration: SocketIOServerConfiguration(
                engine: EngineIOServerConfiguration(
                    engine: EngineIOConfiguration(pingInterval: .milliseconds(300), pingTimeout: .seconds(60), allowEIO3: true)),
                connectionStateRecovery: SocketIOConnectionStateRecovery()))
        let opened = try await ServerPollingClient.request(io.engine, .get, "/socket.io/?EIO=3&transport=polling")
        #expect(opened.status == 200)
        let sid = try #require(opened.body.firstMatch(of: #/"sid":"([^"]+)"/#).map { String($0.1) })
        // Engine.IO v3 connects the socket of `/` at once (no CONNECT packet from the client).
        #expect(try await eventually { io.main.sockets.count == 1 })
        let closed = try await ServerPollingClient.request(
            io.engine, .post, "/socket.io/?EIO=3&transport=polling&sid=\(sid)", body: "1:1")
        #expect(closed.status == 200)
        #expect(try await eventually { io.main.sockets.isEmpty })
        // Its clients cannot recover, so nothing is kept for it (it has no pid).
        try await Task.sleep(for: .milliseconds(100))
        #expect(io.main.adapter.sessionLog?.counts.sessions == 0)
    }

    @Test func aSocketEmitIsLoggedAndAnAckedEmitIsNot() async throws {
        let io = Self.server()
        io.onConnection { socket in
            socket.emit("hello", "there")
            Task { _ = try? await socket.emitWithAck("ask", "question") }
        }
        let connected = try await Self.connect(io, events: 1)
        let hello = try #require(connected.events.first)
        #expect(hello.count == 3)
        #expect(hello.prefix(2) == ["hello", "there"])
        #expect(hello.last?.stringValue?.isEmpty == false)
        // An event that asks for an acknowledgement is neither logged nor given an offset.
        #expect(try await connected.client.poll() == #"420["ask","question"]"#)
    }

    @Test func anExpiredSessionConnectsAsANewSocket() async throws {
        let io = Self.server(recovery: SocketIOConnectionStateRecovery(maxDisconnectionDuration: .milliseconds(200)))
        let first = try await Self.connect(io)
        await io.emit("tick", 1)
        let offset = try #require(try await Self.events(first.client, count: 1).first?.last?.stringValue)
        try await Self.loseConnection(first, on: io)
        try await Task.sleep(for: .milliseconds(400))
        let second = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: offset))
        #expect(second.socketID != first.socketID)
        #expect(second.privateID != first.privateID)
    }

    @Test func anUnknownOffsetOrPidConnectsAsANewSocket() async throws {
        let io = Self.server()
        let first = try await Self.connect(io)
        await io.emit("tick", 1)
        let offset = try #require(try await Self.events(first.client, count: 1).first?.last?.stringValue)
        try await Self.loseConnection(first, on: io)

        let unknown = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: "no-such-offset"))
        #expect(unknown.socketID != first.socketID)
        let stranger = try await Self.connect(io, auth: #"{"pid":"no-such-pid","offset":"\#(offset)"}"#)
        #expect(stranger.socketID != first.socketID)
        // A failed attempt leaves the session, as socket.io's restore does: the right offset still recovers.
        let late = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: offset))
        #expect(late.socketID == first.socketID)
    }

    @Test func aClientThatLeftOnPurposeIsNotRecovered() async throws {
        let io = Self.server()
        let first = try await Self.connect(io)
        await io.emit("tick", 1)
        let offset = try #require(try await Self.events(first.client, count: 1).first?.last?.stringValue)
        try await first.client.post("41")
        #expect(try await eventually { io.main.socket(id: first.socketID) == nil })
        let second = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: offset))
        #expect(second.socketID != first.socketID)
    }

    @Test func middlewareRunsOnRecoveryWhenNotSkippedAndCanRefuse() async throws {
        let io = Self.server(recovery: SocketIOConnectionStateRecovery(skipMiddlewares: false))
        let runs = NIOLockedValueBox(0)
        io.use { handshake in
            let count = runs.withLockedValue { $0 += 1; return $0 }
            return count == 2 ? .refuse("Not again") : .allow
        }
        let first = try await Self.connect(io)
        await io.emit("tick", 1)
        let offset = try #require(try await Self.events(first.client, count: 1).first?.last?.stringValue)
        try await Self.loseConnection(first, on: io)
        let client = try await ServerPollingClient.open(io.engine)
        try await client.post("40" + Self.recoveryAuth(first, offset: offset))
        #expect(try await client.poll() == #"44{"message":"Not again"}"#)
        #expect(runs.withLockedValue { $0 } == 2)
        // The refused attempt did not use the session up.
        let third = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: offset))
        #expect(third.socketID == first.socketID)
    }

    @Test func skippedMiddlewareDoesNotRefuseARecoveringClient() async throws {
        let io = Self.server()
        let runs = NIOLockedValueBox(0)
        io.use { _ in runs.withLockedValue { $0 += 1; return $0 } == 1 ? .allow : .refuse("Refused") }
        let first = try await Self.connect(io)
        await io.emit("tick", 1)
        let offset = try #require(try await Self.events(first.client, count: 1).first?.last?.stringValue)
        try await Self.loseConnection(first, on: io)
        let second = try await Self.connect(io, auth: Self.recoveryAuth(first, offset: offset))
        #expect(second.socketID == first.socketID)
        #expect(runs.withLockedValue { $0 } == 1)
    }

    @Test func withoutRecoveryThereIsNoPidAndNoOffset() async throws {
        let io = Self.server(recovery: nil)
        io.onConnection { socket in socket.emit("hello", "there") }
        let connected = try await Self.connect(io, events: 1)
        #expect(connected.privateID == nil)
        #expect(connected.events == [["hello", "there"]])
        await io.emit("all", 1)
        #expect(try await Self.events(connected.client, count: 1) == [["all", 1]])
    }

    @Test func theLogDropsPacketsAndSessionsOlderThanTheWindow() {
        let log = SocketIOSessionLog(configuration: SocketIOConnectionStateRecovery(maxDisconnectionDuration: .seconds(10)))
        let start = NIODeadline.now()
        var offsets: [String] = []
        for second in 0..<30 {
            var packet = SocketIOPacket.event("tick", [.number(Double(second))])
            log.record(&packet, rooms: [], except: [], now: start + .seconds(Int64(second)))
            offsets.append(packet.arguments.last?.stringValue ?? "")
        }
        #expect(Set(offsets).count == 30)
        #expect(log.counts.packets == 11)
        var acked = SocketIOPacket.event("ask", [], id: 3)
        log.record(&acked, rooms: [], except: [], now: start + .seconds(30))
        #expect(acked.arguments.isEmpty)

        let session = SocketIOSessionLog.Session(socketID: "s", privateID: "p", rooms: ["s"], data: [:])
        log.persist(session, now: start + .seconds(30))
        #expect(log.restore(privateID: "p", offset: offsets[0], now: start + .seconds(31)) == nil, "offset dropped")
        // An offset dropped after its session was restored: every packet still kept is newer.
        #expect(log.missedPackets(after: offsets[0], rooms: ["s"]).count == log.counts.packets)
        #expect(log.missedPackets(after: "elsewhere-0", rooms: ["s"]).isEmpty)
        let restored = log.restore(privateID: "p", offset: offsets[25], now: start + .seconds(32))
        #expect(restored?.missedPackets.map { $0.arguments.first } == [26, 27, 28, 29].map { SocketIOValue.number($0) })
        #expect(log.missedPackets(after: offsets[27], rooms: ["s"]).map { $0.arguments.first } == [28, 29])
        #expect(log.missedPackets(after: "x" + offsets[27], rooms: ["s"]).isEmpty)
        #expect(log.counts.sessions == 0, "a restored session is taken")
        log.persist(session, now: start + .seconds(32))
        #expect(log.counts.sessions == 1)
        #expect(log.restore(privateID: "p", offset: offsets[29], now: start + .seconds(43)) == nil, "session expired")
        #expect(log.counts.sessions == 0)
    }

    @Test func recoverableReasonsAreSocketIOs() {
        for reason in ["transport error", "transport close", "forced close", "ping timeout", "server shutting down",
            "forced server close"]
        {
            #expect(SocketIOSessionLog.isRecoverable(SocketIODisconnectReason(reason)))
        }
        for reason in ["client namespace disconnect", "server namespace disconnect", "parse error"] {
            #expect(!SocketIOSessionLog.isRecoverable(SocketIODisconnectReason(reason)))
        }
    }
}
