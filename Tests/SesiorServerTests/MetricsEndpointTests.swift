import Foundation
import SesiorTesting
import Testing

@testable import SesiorServer

/// One `/metrics` scrape as prometheus_client's text parser read it.
struct MetricsScrape {
    let status: Int
    let contentType: String
    /// `[sample name, labels, value]` triples.
    let samples: [(name: String, labels: [String: String], value: Double)]
    /// Family name → Prometheus type.
    let types: [String: String]

    init(_ object: [String: Any]) throws {
        status = try #require(object["status"] as? Int)
        contentType = object["contentType"] as? String ?? ""
        let raw = try #require(object["samples"] as? [[Any]])
        samples = raw.compactMap { triple in
            guard triple.count == 3, let name = triple[0] as? String, let labels = triple[1] as? [String: String],
                let value = (triple[2] as? NSNumber)?.doubleValue
            else { return nil }
            return (name, labels, value)
        }
        types = object["types"] as? [String: String] ?? [:]
    }

    /// The sum of the samples named `name` whose labels include `labels` (0 when there is none).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }.reduce(0) { $0 + $1.value }
    }

    /// Whether a sample named `name` is there.
    func has(_ name: String) -> Bool { samples.contains { $0.name == name } }

    /// Every label set of the samples named `name`.
    func labels(of name: String) -> [[String: String]] { samples.filter { $0.name == name }.map(\.labels) }
}

enum MetricsScript {
    static func run(_ scenario: String, _ arguments: [String: Any]) async throws -> [String: Any] {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        return try await PythonScript.run("Tests/SesiorServerTests/python/metrics_scrape.py", arguments: [scenario, json])
    }

    static func scrape(port: Int) async throws -> MetricsScrape {
        try MetricsScrape(try await run("scrape", ["url": "http://127.0.0.1:\(port)"]))
    }
}

@Suite("GET /metrics: Prometheus exposition parsed by prometheus_client", .serialized)
struct MetricsEndpointTests {
    @Test("counts move between two scrapes: requests by route and status, latency, sessions, sockets, Redis pool")
    func countsMove() async throws {
        try await RedisServer.withRunning { redis in
            try await TestInstance.with(redisURL: redis.url) { app in
                let url = "http://127.0.0.1:\(app.port)"
                let first = try await MetricsScript.scrape(port: app.port)
                #expect(first.status == 200)
                #expect(first.contentType.hasPrefix("text/plain; version=0.0.4"))

                for _ in 0..<3 { #expect(try await app.get("/health").status == 200) }
                #expect(try await app.get("/no/such/path/42").status == 404)
                let cookie = try await app.register("metrics")
                #expect(try await app.get("/verify-session", cookie: cookie).status == 200)
                let socket = try await MetricsScript.run(
                    "socket", ["url": url, "cookie": cookie, "name": "metrics", "newName": "metrics2"])
                let during = try MetricsScrape(try #require(socket["during"] as? [String: Any]))
                let second = try MetricsScrape(try #require(socket["after"] as? [String: Any]))

                // HTTP: by route pattern and status, never by raw path.
                let health = ["route": "/health", "status": "200"]
                #expect(second.value("http_requests_total", health) - first.value("http_requests_total", health) == 3)
                let unmatched = ["route": "unmatched", "status": "404"]
                #expect(second.value("http_requests_total", unmatched) - first.value("http_requests_total", unmatched) == 1)
                #expect(second.value("http_requests_total", ["route": "/register", "status": "200"]) == 1)
                #expect(!second.labels(of: "http_requests_total").contains { $0["route"]?.contains("42") == true })
                #expect(second.types["http_requests"] == "counter")
                #expect(second.types["http_request_duration_seconds"] == "histogram")
                let healthRoute = ["route": "/health"]
                #expect(
                    second.value("http_request_duration_seconds_count", healthRoute)
                        - first.value("http_request_duration_seconds_count", healthRoute) == 3)
                #expect(second.value("http_request_duration_seconds_bucket", ["route": "/health", "le": "+Inf"]) >= 3)
                #expect(second.value("http_server_open_connections") >= 1)
                // The earlier scrapes are counted under one label set.
                #expect(second.value("http_requests_total", ["route": "/metrics", "status": "200"]) >= 2)

                // Sessions: the registration saved one, the verify and the socket loaded it.
                #expect(second.value("session_saves_total") - first.value("session_saves_total") >= 1)
                #expect(second.value("session_loads_total", ["result": "found"]) >= 2)
                #expect(second.has("session_cas_retries_total"))

                // Sockets: one WebSocket session and one socket on `/` while connected; the rename
                // was broadcast.
                #expect(during.value("engineio_sessions", ["transport": "websocket"]) >= 1)
                #expect(during.value("socketio_sockets", ["namespace": "/"]) >= 1)
                #expect(second.value("socketio_broadcasts_total", ["namespace": "/"]) >= 1)
                #expect(second.has("socketio_deliveries_total"))

                // Redis pool.
                #expect(second.value("redis_pool_connections") >= 1)
                #expect(second.has("redis_pool_commands_in_use"))
                #expect(second.has("redis_pool_waiting"))
                #expect(second.has("redis_pool_reconnects_total"))
            }
        }
    }

    @Test("metrics are on by default; --no-metrics and SESIOR_METRICS=0 turn them off; a bad value is refused")
    func flag() throws {
        #expect(try SesiorOptions.parse([]).configuration(environment: [:]).metrics)
        #expect(try !SesiorOptions.parse(["--no-metrics"]).configuration(environment: [:]).metrics)
        #expect(try !SesiorOptions.parse([]).configuration(environment: ["SESIOR_METRICS": "0"]).metrics)
        #expect(try SesiorOptions.parse(["--metrics"]).configuration(environment: ["SESIOR_METRICS": "0"]).metrics)
        #expect(throws: (any Error).self) {
            try SesiorOptions.parse([]).configuration(environment: ["SESIOR_METRICS": "maybe"])
        }
    }

    @Test("--no-metrics: no /metrics route")
    func off() async throws {
        let app = try await TestInstance.start(configure: { configuration in configuration.metrics = false })
        let status = try await app.get("/metrics").status
        await app.instance.shutdown()
        #expect(status == 404)
    }
}
