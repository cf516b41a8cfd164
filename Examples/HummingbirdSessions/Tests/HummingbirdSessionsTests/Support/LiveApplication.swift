import Hummingbird
import HummingbirdSessions
import Logging

/// Runs a Hummingbird application in this process on a free port of 127.0.0.1 for one test.
enum LiveApplication {
    /// Serves `router`, runs `body` with the port, then cancels the server.
    static func withRunning<T: Sendable>(
        _ router: Router<SessionsRequestContext>, _ body: (Int) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "hummingbird-sessions-test")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await app.run()
                continuation.finish()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port != 0 else {
                group.cancelAll()
                throw TestSetupError("the in-process Hummingbird server did not start")
            }
            do {
                let result = try await body(port)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}
