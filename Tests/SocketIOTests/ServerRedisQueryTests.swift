import HTTPCore
import RedisStore
import SesiorTesting
import SocketIO
import Testing

/// Queries across two SocketIOServer instances sharing one Redis: `fetchSockets`,
/// `sockets(rooms:)`, `socketRooms`, and the remote sockets' forwarded operations.
struct ServerRedisQueryTests {
    @Test func fetchSocketsAnswersForEveryInstance() async throws {
        try await RedisServer.withRunning { redis in
            let (ioA, busA, poolA) = try await RedisTestInstance.make(redis)
            let (ioB, busB, poolB) = try await RedisTestInstance.make(redis)
            defer {
                busA.stop()
                busB.stop()
            }
            _ = try await ServerPollingClient.connect(ioA.engine)
            let redOnB = try await ServerPollingClient.connect(ioB.engine, headers: ["X-Team": "red"])
            _ = try await ServerPollingClient.connect(ioB.engine)
            let socketOnA = try #require(ioA.main.sockets.first)
            let red = try #require(ioB.main.sockets.first { $0.engineID == redOnB.sid })
            await red.join("red")
            red.data["user"] = "bob"

            let everyone = try await ioA.main.fetchSockets()
            #expect(Set(everyone.map(\.id)) == Set((ioA.main.sockets + ioB.main.sockets).map(\.id)))
            #expect(everyone.count == 3)
            #expect(try await ioA.main.all.local.socketIDs() == [socketOnA.id])

            let inRed = try await ioA.to("red").fetchSockets()
            let remote = try #require(inRed.first)
            #expect(inRed.count == 1)
            #expect(remote.id == red.id)
            #expect(remote.rooms == [red.id, "red"])
            #expect(remote.data["user"] == "bob")
            #expect(remote.handshake.headers["x-team"] == "red")
            #expect(remote.handshake.query.contains("transport=polling"))

            #expect(try await ioA.main.adapter.sockets(rooms: ["red"]) == [red.id])
            #expect(try await ioA.main.adapter.socketRooms(red.id) == [red.id, "red"])
            #expect(try await ioA.main.adapter.socketRooms("no-such-socket") == nil)
            #expect(try await ioB.main.adapter.socketRooms(socketOnA.id) == [socketOnA.id])

            await remote.emit("direct", "hi")
            #expect(try await redOnB.poll() == #"42["direct","hi"]"#)
            await remote.join("blue")
            #expect(try await eventually { await red.rooms.contains("blue") })
            await remote.disconnect()
            #expect(try await redOnB.poll() == "41")
            #expect(try await eventually { !red.connected })
            #expect(try await eventually { (try? await ioA.to("red").fetchSockets().isEmpty) == true })
            await poolA.close()
            await poolB.close()
        }
    }

    @Test func aSilentInstanceMakesTheQueryFailAtTheTimeout() async throws {
        try await RedisServer.withRunning { redis in
            let (ioA, busA, poolA) = try await RedisTestInstance.make(redis, requestTimeout: .seconds(1))
            let (_, busB, poolB) = try await RedisTestInstance.make(redis)
            defer {
                busA.stop()
                busB.stop()
            }
            _ = try await ServerPollingClient.connect(ioA.engine)
            // Answered by B alone: both instances count.
            #expect(try await ioA.main.fetchSockets().count == 1)
            // A subscriber of the request channel that never answers.
            let silent = try await poolB.subscribe(to: ["socket.io-request#/#"])
            defer { silent.cancel() }
            let started = ContinuousClock.now
            await #expect(throws: SocketIOAdapterError.self) { try await ioA.main.fetchSockets() }
            #expect(ContinuousClock.now - started >= .seconds(1))
            // Local queries do not ask the others.
            #expect(try await ioA.main.all.local.fetchSockets().count == 1)
            await poolA.close()
            await poolB.close()
        }
    }

    @Test func aLoneInstanceAnswersWithoutWaiting() async throws {
        try await RedisServer.withRunning { redis in
            let (io, bus, pool) = try await RedisTestInstance.make(redis, requestTimeout: .seconds(30))
            defer { bus.stop() }
            _ = try await ServerPollingClient.connect(io.engine)
            let started = ContinuousClock.now
            #expect(try await io.main.fetchSockets().count == 1)
            #expect(ContinuousClock.now - started < .seconds(20))
            await pool.close()
        }
    }
}
