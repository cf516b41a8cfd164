import HTTPCore
import RedisStore
import SesiorTesting
import SocketIO
import Testing

/// Two SocketIOServer instances sharing one Redis through `RedisAdapter`.
struct ServerRedisAdapterTests {
    @Test func broadcastsAndRoomsReachEveryInstance() async throws {
        try await RedisServer.withRunning { redis in
            let (ioA, busA, poolA) = try await RedisTestInstance.make(redis)
            let (ioB, busB, poolB) = try await RedisTestInstance.make(redis)
            defer {
                busA.stop()
                busB.stop()
            }
            let onA = try await ServerPollingClient.connect(ioA.engine)
            let inRoomOnB = try await ServerPollingClient.connect(ioB.engine)
            let otherOnB = try await ServerPollingClient.connect(ioB.engine)

            await ioA.emit("hello", "everyone")
            #expect(try await onA.poll() == #"42["hello","everyone"]"#)
            #expect(try await inRoomOnB.poll() == #"42["hello","everyone"]"#)
            #expect(try await otherOnB.poll() == #"42["hello","everyone"]"#)

            let joiner = try #require(ioB.main.sockets.first { $0.engineID == inRoomOnB.sid })
            await joiner.join("red")
            await ioA.to("red").emit("room", "red only")
            #expect(try await inRoomOnB.poll() == #"42["room","red only"]"#)
            #expect(try await otherOnB.pollOnce() == "")
            #expect(try await onA.pollOnce() == "")

            await ioA.main.all.socketsJoin("blue")
            try await Task.sleep(for: .milliseconds(200))
            await ioB.to("blue").emit("blue", 1)
            #expect(try await onA.poll() == #"42["blue",1]"#)
            #expect(try await otherOnB.poll() == #"42["blue",1]"#)
            await poolA.close()
            await poolB.close()
        }
    }
}
