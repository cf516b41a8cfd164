// socketio-fanout-server: the SESIOR side of the Socket.IO broadcast fan-out and idle-memory
// benchmarks (scripts/bench.sh `fanout` and `memory`). It uses the SocketIO library as an app
// would, with the protocol of Benchmarks/peers/python_socketio_server.py:
//   - any client may connect to the namespace "/" (no auth);
//   - on `fanout` with one argument, the server emits `fanout` with that same argument to every
//     socket of "/" (the sender included);
//   - `GET /health` answers {"status":"ok"}.
// With --redis it broadcasts through the Redis adapter, so several instances on one Redis serve
// one fan-out (the `cluster` scenario).
import ArgumentParser
import HTTPCore
import RedisStore
import SocketIO

#if canImport(Glibc)
    import Glibc
#endif

@main
struct SocketIOFanoutServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "SocketIOFanoutServer",
        abstract: "Socket.IO broadcast fan-out benchmark server (same protocol as python_socketio_server.py).")

    @Option(help: "The TCP port to listen on.")
    var port: Int = 3003

    @Option(help: "The address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "The most connections served at once.")
    var maxConnections: Int = 30_000

    @Option(help: "Broadcast through the Redis adapter on this Redis (redis://host:port), for several instances.")
    var redis: String?

    func run() async throws {
        Self.raiseFileLimit()
        let engine = EngineIOServerConfiguration(path: "/socket.io/", transports: [.polling, .websocket])
        let io: SocketIOServer
        if let redis {
            let pool = try RedisConnectionPool(url: redis)
            let bus = await SocketIORedisBus.connecting(pool: pool)
            io = SocketIOServer(configuration: SocketIOServerConfiguration(engine: engine, adapter: bus.adapterFactory))
            _ = io.main
            // Listening only once subscribed: a broadcast from another instance is not missed.
            while !bus.isSubscribed { try await Task.sleep(for: .milliseconds(20)) }
        } else {
            io = SocketIOServer(configuration: SocketIOServerConfiguration(engine: engine))
        }
        let namespace = io.main
        io.onConnection { socket in
            socket.on("fanout") { arguments, _ in
                await namespace.all.emit("fanout", arguments: arguments)
            }
        }
        var app = App()
        app.get("/health") { _ in Response.json(encoded: #"{"status":"ok"}"#) }
        io.attach(to: &app)
        let server = HTTPServer(
            responder: app,
            configuration: HTTPServerConfiguration(
                host: host, port: port, maxConnections: maxConnections, backlog: 4096))
        try await server.start()
        print("SocketIOFanoutServer listening on \(host):\(port)")
        try await server.run()
    }

    /// Lifts the soft open-file limit to the hard one: 10,000 sockets need more than 1,024.
    static func raiseFileLimit() {
        #if canImport(Glibc)
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        #endif
    }
}
