import MetricsTestKit
import SocketIO
import Testing

@Suite("Engine.IO and Socket.IO metrics")
struct SocketIOMetricsTests {
    static func server(metrics: TestMetrics) -> SocketIOServer {
        SocketIOServer(
            configuration: SocketIOServerConfiguration(
                engine: EngineIOServerConfiguration(
                    engine: EngineIOConfiguration(pingInterval: .seconds(60), pingTimeout: .seconds(60)),
                    metrics: metrics)))
    }

    @Test("engineio_sessions{transport} and socketio_sockets{namespace} follow connects and closes")
    func gauges() async throws {
        let metrics = TestMetrics()
        let io = Self.server(metrics: metrics)
        let polling = try metrics.expectMeter("engineio_sessions", [("transport", "polling")])
        let sockets = try metrics.expectMeter("socketio_sockets", [("namespace", "/")])
        _ = try metrics.expectMeter("engineio_sessions", [("transport", "websocket")])
        let client = try await ServerPollingClient.connect(io.engine)
        #expect(polling.lastValue == 1)
        #expect(sockets.lastValue == 1)
        let second = try await ServerPollingClient.connect(io.engine)
        #expect(polling.lastValue == 2)
        #expect(sockets.lastValue == 2)
        try await client.post("1")
        #expect(try await eventually { polling.lastValue == 1 && sockets.lastValue == 1 })
        io.close()
        _ = try? await second.pollOnce()  // takes the close packet
        #expect(try await eventually { polling.lastValue == 0 && sockets.lastValue == 0 })
    }

    @Test("a broadcast counts once in socketio_broadcasts_total and once per socket reached in socketio_deliveries_total")
    func broadcasts() async throws {
        let metrics = TestMetrics()
        let io = Self.server(metrics: metrics)
        let first = try await ServerPollingClient.connect(io.engine)
        let second = try await ServerPollingClient.connect(io.engine)
        await io.emit("news", "hello")
        #expect(try await first.poll() == #"42["news","hello"]"#)
        #expect(try await second.poll() == #"42["news","hello"]"#)
        #expect(try metrics.expectCounter("socketio_broadcasts_total", [("namespace", "/")]).totalValue == 1)
        #expect(try metrics.expectCounter("socketio_deliveries_total", [("namespace", "/")]).totalValue == 2)
        io.close()
    }
}
