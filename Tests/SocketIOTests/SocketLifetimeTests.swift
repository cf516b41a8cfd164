import NIOConcurrencyHelpers
import NIOCore
import SocketIO
import Testing

/// A disconnected socket is freed even when its handlers capture it (found by the 10,000
/// connect/disconnect soak: each cycle kept ~8 KB alive through that reference cycle).
struct SocketLifetimeTests {
    /// Holds a socket without keeping it alive.
    private struct WeakSocket: Sendable {
        weak var socket: SocketIOSocket?
    }

    /// Holds an Engine.IO session without keeping it alive.
    private struct WeakEngineSocket: Sendable {
        weak var socket: EngineIOSocket?
    }

    @Test(arguments: ["41", "1"])
    func disconnectedSocketWhoseHandlersCaptureItIsFreed(disconnect packet: String) async throws {
        let io = SocketIOServer(
            configuration: SocketIOServerConfiguration(
                engine: EngineIOServerConfiguration(
                    engine: EngineIOConfiguration(pingInterval: .seconds(20), pingTimeout: .seconds(5)))))
        let seen = NIOLockedValueBox(WeakSocket())
        let disconnected = NIOLockedValueBox(false)
        io.onConnection { socket in
            seen.withLockedValue { $0.socket = socket }
            socket.on("echo") { arguments, _ in socket.emit("echo", arguments.first ?? .null) }
            socket.onAny { _, _ in _ = socket.id }
            socket.onDisconnect { _ in
                _ = socket.id
                disconnected.withLockedValue { $0 = true }
            }
        }
        let client = try await ServerPollingClient.connect(io.engine)
        let engineSocket = NIOLockedValueBox(WeakEngineSocket(socket: io.engine.socket(sid: client.sid)))
        try await client.post(#"42["echo","hi"]"#)
        #expect(try await client.poll() == #"42["echo","hi"]"#)
        #expect(seen.withLockedValue { $0.socket } != nil)
        #expect(engineSocket.withLockedValue { $0.socket } != nil)

        try await client.post(packet)  // namespace disconnect, or Engine.IO close
        let deadline = ContinuousClock.now + .seconds(5)
        while seen.withLockedValue({ $0.socket }) != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(disconnected.withLockedValue { $0 })
        #expect(seen.withLockedValue { $0.socket } == nil, "the socket outlived its connection")
        if packet == "1" {
            // Nor do the session, its client, their timers and the receiver between them.
            let sessionDeadline = ContinuousClock.now + .seconds(5)
            while engineSocket.withLockedValue({ $0.socket }) != nil, ContinuousClock.now < sessionDeadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(engineSocket.withLockedValue { $0.socket } == nil, "the Engine.IO session outlived its close")
        }
    }
}
