import Foundation

/// A throwaway `redis-server` for these tests: a free port on 127.0.0.1, a temporary directory,
/// nothing persisted. (The main package's `SesiorTesting.RedisServer` does the same but is not a
/// product, so this package cannot depend on it.)
final class RedisTestServer: Sendable {
    /// The port it listens on.
    let port: Int
    /// Its working directory, removed by `stop()`.
    let directory: URL
    private let process: Process

    /// `redis://127.0.0.1:PORT`.
    var url: String { "redis://127.0.0.1:\(port)" }

    private init(port: Int, directory: URL, process: Process) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Starts `redis-server` and waits (up to 10 s) until it answers PING.
    ///
    /// - Throws: `TestSetupError` when `redis-server` is missing (`apt-get install redis-server`)
    ///   or does not come up.
    static func start() async throws -> RedisTestServer {
        let executable = try TestBinaries.onPath("redis-server", install: "apt-get install redis-server")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hb-sessions-redis-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for _ in 0..<5 {
            let port = try await FreePort.pick()
            let process = Process()
            process.executableURL = executable
            process.arguments = [
                "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", directory.path, "--daemonize", "no", "--loglevel", "warning",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = RedisTestServer(port: port, directory: directory, process: process)
            if try await server.waitUntilReady() { return server }
            await ServerProcess.terminate(process)
        }
        try? FileManager.default.removeItem(at: directory)
        throw TestSetupError("redis-server did not come up on a free port")
    }

    /// Stops the server and removes its directory. SIGKILL: nothing is persisted, and on SIGTERM
    /// redis-server was seen to linger for seconds here.
    func stop() async {
        await ServerProcess.terminate(process, signal: SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }

    /// True once the server accepts connections; false when the process exited (e.g. the port
    /// was taken meanwhile).
    private func waitUntilReady() async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { return false }
            if await FreePort.isListening(port) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("redis-server on port \(port) did not listen within 10 s")
    }
}
