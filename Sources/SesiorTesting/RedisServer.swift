import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway `redis-server` for tests: started on a free port in a temporary directory
/// (`--save "" --appendonly no`, nothing persisted), stopped and its directory removed by `stop()`.
///
/// `kill()` and `restart()` simulate Redis going away and coming back on the same port, for
/// reconnect tests. Prefer `RedisServer.withRunning { server in ... }`, which always stops it.
public actor RedisServer {
    /// The TCP port the server listens on (127.0.0.1).
    public nonisolated let port: Int
    /// The password given with `--requirepass`, if any.
    public nonisolated let password: String?
    /// The server's temporary working directory.
    public nonisolated let directory: URL
    private let executable: URL
    private let extraArguments: [String]
    /// A Sentinel's config file (Sentinel runs from a writable one), nil for a plain server.
    private let sentinelConfiguration: URL?
    private var processID: pid_t?

    /// `redis://127.0.0.1:PORT`, with `:password@` when the server requires one.
    public nonisolated var url: String {
        if let password { return "redis://:\(password)@127.0.0.1:\(port)" }
        return "redis://127.0.0.1:\(port)"
    }

    private init(
        port: Int, password: String?, directory: URL, executable: URL, extraArguments: [String],
        sentinelConfiguration: URL? = nil
    ) {
        self.port = port
        self.password = password
        self.directory = directory
        self.executable = executable
        self.extraArguments = extraArguments
        self.sentinelConfiguration = sentinelConfiguration
    }

    /// Starts a Redis Sentinel (`redis-server sentinel.conf --sentinel`) watching `master` as
    /// `masterName` with a quorum of 1, deciding it is down after `downAfter` and failing over
    /// within `failoverTimeout`; waits until it answers PING. Stop it like a server.
    public static func startSentinel(
        monitoring master: RedisServer, masterName: String = "sesior", downAfter: Duration = .milliseconds(500),
        failoverTimeout: Duration = .seconds(2)
    ) async throws -> RedisServer {
        let executable = try locateExecutable()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sesior-sentinel-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("sentinel.conf")
        let milliseconds = { (duration: Duration) in
            duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        }
        var settings = """
            sentinel monitor \(masterName) 127.0.0.1 \(master.port) 1
            sentinel down-after-milliseconds \(masterName) \(milliseconds(downAfter))
            sentinel failover-timeout \(masterName) \(milliseconds(failoverTimeout))
            sentinel parallel-syncs \(masterName) 1

            """
        if let password = master.password { settings += "sentinel auth-pass \(masterName) \(password)\n" }
        try settings.write(to: file, atomically: true, encoding: .utf8)
        let server = RedisServer(
            port: try freePort(), password: nil, directory: directory, executable: executable, extraArguments: [],
            sentinelConfiguration: file)
        do {
            try await server.launch()
        } catch {
            await server.stop()
            throw error
        }
        return server
    }

    /// Starts a server and waits (up to 10 s) until it answers PING.
    /// - Parameters:
    ///   - password: passed as `--requirepass` when not `nil`.
    ///   - extraArguments: more `redis-server` options, e.g. `["--enable-debug-command", "yes"]`.
    /// - Throws: `RedisServerError` when `redis-server` is not installed (the message says
    ///   `apt-get install redis-server`) or does not come up.
    public static func start(password: String? = nil, extraArguments: [String] = []) async throws -> RedisServer {
        let executable = try locateExecutable()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sesior-redis-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var attempt = 0
        while true {
            attempt += 1
            let server = RedisServer(
                port: try freePort(), password: password, directory: directory, executable: executable,
                extraArguments: extraArguments)
            do {
                try await server.launch()
                return server
            } catch let error as RedisServerError where error.reason.contains("Address already in use") && attempt < 5 {
                // Another process took the free port between our probe and the server's bind.
                await server.terminate(signal: SIGKILL)
            } catch {
                await server.stop()
                throw error
            }
        }
    }

    /// Starts a server, runs `body`, and stops the server whether `body` returned or threw.
    public static func withRunning<T: Sendable>(
        password: String? = nil, extraArguments: [String] = [],
        _ body: (RedisServer) async throws -> T
    ) async throws -> T {
        try await stopping(try await start(password: password, extraArguments: extraArguments), after: body)
    }

    /// Runs `body` with `server` and stops the server whether `body` returned or threw.
    static func stopping<T: Sendable>(_ server: RedisServer, after body: (RedisServer) async throws -> T) async throws -> T {
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its directory.
    public func stop() async {
        await terminate(signal: SIGTERM)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Kills the server abruptly (SIGKILL) and waits until it is gone; the port stays reserved
    /// for `restart()`.
    public func kill() async {
        await terminate(signal: SIGKILL)
    }

    /// Freezes the server (SIGSTOP), as a hung Redis or a network partition looks to a client:
    /// connections stay open and the kernel still accepts new ones, but nothing is answered.
    public func pause() {
        if let processID { Glibc.kill(processID, SIGSTOP) }
    }

    /// Lets a paused server run again (SIGCONT); it answers what was sent meanwhile.
    public func resume() {
        if let processID { Glibc.kill(processID, SIGCONT) }
    }

    /// Starts the server again on the same port and waits until it answers PING.
    public func restart() async throws {
        try await launch()
    }

    /// Whether the server process is running.
    public var isRunning: Bool { processID != nil }

    private func launch() async throws {
        guard processID == nil else { return }
        var arguments = [executable.path]
        if let sentinelConfiguration { arguments += [sentinelConfiguration.path, "--sentinel"] }
        arguments += ["--port", String(port), "--bind", "127.0.0.1"]
        if sentinelConfiguration == nil { arguments += ["--save", "", "--appendonly", "no"] }
        arguments += ["--dir", directory.path, "--daemonize", "no", "--loglevel", "warning"]
        if let password { arguments += ["--requirepass", password] }
        arguments += extraArguments
        let log = directory.appendingPathComponent("redis.log").path
        let pid = try Self.spawn(arguments, log: log)
        processID = pid
        // 30 s: a loaded two-core machine running the whole suite in parallel has taken more than
        // 10 s to start one redis-server and answer its PING; an answer ends the wait at once.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if Self.reap(pid) {
                processID = nil
                let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw RedisServerError("redis-server exited at start (port \(port)): \(output)")
            }
            if await Self.probe(port: port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RedisServerError("redis-server on port \(port) did not answer PING within 30 s")
    }

    private func terminate(signal: Int32) async {
        guard let pid = processID else { return }
        processID = nil
        Glibc.kill(pid, signal)
        Glibc.kill(pid, SIGCONT)  // a paused server handles the signal once it runs again
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if Self.reap(pid) { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
        Glibc.kill(pid, SIGKILL)
        while !Self.reap(pid) { try? await Task.sleep(for: .milliseconds(5)) }
    }

    private static func locateExecutable() throws -> URL {
        let directories = ["/usr/bin", "/usr/local/bin", "/usr/sbin"]
        guard let path = ChildProcess.executable(named: ["redis-server"], extraDirectories: directories) else {
            throw RedisServerError("redis-server not found on PATH; install it with `apt-get install redis-server`")
        }
        return URL(fileURLWithPath: path)
    }
}

/// Why a test Redis server could not be started.
public struct RedisServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    /// The reason.
    public var description: String { reason }
}
