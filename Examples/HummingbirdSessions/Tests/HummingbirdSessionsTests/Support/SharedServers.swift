import Foundation

/// One Redis with both servers on it, started with the same secret: the real `sesior` binary and
/// this package's `hummingbird-sessions`.
struct SharedServers: Sendable {
    /// The secret both servers sign with.
    static let secret = "shared-example-secret"

    let redis: RedisTestServer
    let sesior: ServerProcess
    let hummingbird: ServerProcess

    /// Starts Redis, `sesior` and `hummingbird-sessions`, runs `body`, and stops them all.
    static func withRunning<T: Sendable>(_ body: (SharedServers) async throws -> T) async throws -> T {
        let redis = try await RedisTestServer.start()
        var started: [ServerProcess] = []
        do {
            let runDirectory = redis.directory.appendingPathComponent("sesior-run")
            let sesior = try await ServerProcess.launch(
                "sesior", executable: try TestBinaries.sesior(),
                arguments: [
                    "--port", "0", "--redis", redis.url, "--secret", secret, "--run-dir", runDirectory.path,
                    "--log-level", "error",
                ])
            started.append(sesior)
            let hummingbird = try await ServerProcess.launch(
                "hummingbird-sessions", executable: try TestBinaries.hummingbirdSessions(),
                arguments: ["--port", "0", "--redis", redis.url, "--secret", secret, "--log-level", "error"])
            started.append(hummingbird)
            let result = try await body(SharedServers(redis: redis, sesior: sesior, hummingbird: hummingbird))
            for server in started { await server.stop() }
            await redis.stop()
            return result
        } catch {
            for server in started { await server.stop() }
            await redis.stop()
            throw error
        }
    }
}
