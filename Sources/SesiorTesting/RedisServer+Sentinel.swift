import Foundation

extension RedisServer {
    /// Starts a Sentinel watching `master` (`startSentinel`), runs `body`, and stops the Sentinel
    /// whether `body` returned or threw.
    public static func withSentinel<T: Sendable>(
        monitoring master: RedisServer, masterName: String = "sesior", _ body: (RedisServer) async throws -> T
    ) async throws -> T {
        try await stopping(try await startSentinel(monitoring: master, masterName: masterName), after: body)
    }

    /// A master, a replica of it and a Sentinel watching the master as `masterName` (quorum 1),
    /// all throwaway, for failover tests: runs `body(master, replica, sentinel)` once the Sentinel
    /// knows the replica (it can promote it then), and stops all three whether `body` returned or
    /// threw.
    ///
    /// - Throws: `RedisServerError` when a server does not start or the Sentinel has not seen
    ///   the replica within 30 s.
    public static func withSentinelSetup<T: Sendable>(
        masterName: String = "sesior", _ body: (RedisServer, RedisServer, RedisServer) async throws -> T
    ) async throws -> T {
        try await withRunning { master in
            try await withRunning(extraArguments: ["--replicaof", "127.0.0.1", String(master.port)]) { replica in
                try await withSentinel(monitoring: master, masterName: masterName) { sentinel in
                    try await sentinel.waitUntilSentinelKnowsOneReplica(of: masterName)
                    return try await body(master, replica, sentinel)
                }
            }
        }
    }

    /// Waits until this Sentinel lists one replica of `masterName` (`SENTINEL replicas` answers
    /// an array of one).
    private func waitUntilSentinelKnowsOneReplica(of masterName: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        let command = "SENTINEL replicas \(masterName)"
        while ContinuousClock.now < deadline {
            let reply = await blockingCall { [port] in Self.firstReplyBytes(port: port, inlineCommand: command) }
            if reply.starts(with: Array("*1\r\n".utf8)) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RedisServerError("the Sentinel on port \(port) did not see the replica of '\(masterName)' within 30 s")
    }
}
