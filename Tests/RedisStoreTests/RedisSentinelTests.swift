import SesiorTesting
import Testing

@testable import RedisStore

extension RedisStoreTestSuite {
    /// Redis Sentinel: a master, a replica and one Sentinel (quorum 1), all throwaway servers;
    /// the master is killed and the pool and its subscriptions follow the promoted replica.
    @Suite struct RedisSentinelTests {
        @Test func thePoolFollowsAFailoverAndKeepsReplicatedWrites() async throws {
            try await RedisServer.withSentinelSetup { master, replica, sentinel in
                let direct = try RedisConnectionPool(url: master.url)
                try await eventually("the replica is in sync") {
                    let info = try await direct.send("INFO", "replication").string ?? ""
                    return info.contains("connected_slaves:1") && info.contains("state=online")
                }
                await direct.close()
                try await Self.failover(master: master, replica: replica, sentinel: sentinel)
            }
        }

        private static func failover(master: RedisServer, replica: RedisServer, sentinel: RedisServer) async throws {
            let asking = try RedisConnectionPool(url: "redis://127.0.0.1:\(sentinel.port)")
            var configuration = try RedisConfiguration(url: "redis+sentinel://127.0.0.1:\(sentinel.port)/sesior")
            configuration.reconnectMaximumBackoff = .milliseconds(200)
            configuration.connectTimeout = .seconds(2)
            configuration.commandTimeout = .seconds(2)
            let pool = RedisConnectionPool(configuration: configuration)
            #expect(try await Self.port(of: pool) == master.port)
            _ = try await pool.send("SET", "before", "kept")
            // Acknowledged by the replica too (replication is asynchronous otherwise).
            #expect(try await pool.send("WAIT", "1", "5000").int == 1)
            let subscription = try await pool.subscribe(to: ["events"])
            var messages = subscription.makeAsyncIterator()
            #expect(try await pool.publish([1], to: "events") == 1)
            #expect(await messages.next()?.payload == [1])

            await master.kill()
            try await eventually("the Sentinel promoted the replica", seconds: 30) {
                let address = try? await asking.send("SENTINEL", "get-master-addr-by-name", "sesior")
                return address?.array?.last?.string == String(replica.port)
            }
            try await eventually("the pool writes to the promoted replica", seconds: 15) {
                (try? await pool.send("SET", "after", "written"))?.string == "OK"
            }
            #expect(try await Self.port(of: pool) == replica.port)
            #expect(try await pool.send("GET", "before").string == "kept")
            #expect(try await pool.send("GET", "after").string == "written")
            try await eventually("the subscriber subscribed on the promoted replica", seconds: 15) {
                (try? await pool.publish([2], to: "events")) == 1
            }
            #expect(await messages.next()?.payload == [2])
            subscription.cancel()
            await pool.close()
            await asking.close()
        }

        @Test func aReplicaNamedAsMasterIsRefusedAndAReadOnlyAnswerClosesTheConnection() async throws {
            try await RedisServer.withRunning { master in
                try await RedisServer.withRunning(extraArguments: ["--replicaof", "127.0.0.1", String(master.port)]) {
                    replica in
                    // A Sentinel naming a replica as master (here: it monitors the replica).
                    try await RedisServer.withSentinel(monitoring: replica) { stale in
                        try await RedisServer.withSentinel(monitoring: master) { watching in
                            try await Self.refusals(master: master, replica: replica, stale: stale, watching: watching)
                        }
                    }
                }
            }
        }

        private static func refusals(
            master: RedisServer, replica: RedisServer, stale: RedisServer, watching: RedisServer
        ) async throws {
            let onlyStale = try RedisConfiguration(url: "redis+sentinel://127.0.0.1:\(stale.port)/sesior")
            let refused = await #expect(throws: RedisError.self) {
                _ = try await RedisConnection.connect(configuration: onlyStale)
            }
            #expect(refused?.kind == .connectionFailed)
            #expect(refused?.reason.contains("but it is a slave") == true, "\(refused?.reason ?? "")")
            // The stale Sentinel first, a right one second: the second one's master is used.
            let both = try RedisConfiguration(
                url: "redis+sentinel://127.0.0.1:\(stale.port),127.0.0.1:\(watching.port)/sesior")
            let connection = try await RedisConnection.connect(configuration: both)
            #expect(try await connection.send("ROLE").array?.first?.string == "master")
            // A Sentinel that does not watch the name.
            let unknown = try RedisConfiguration(url: "redis+sentinel://127.0.0.1:\(watching.port)/nobody")
            let noMaster = await #expect(throws: RedisError.self) {
                _ = try await RedisConnection.connect(configuration: unknown)
            }
            #expect(noMaster?.reason.contains("does not know master 'nobody'") == true, "\(noMaster?.reason ?? "")")

            // The master demoted under the open connection: its READONLY answer closes the
            // connection, so the pool reconnects and asks the Sentinels again.
            let admin = try await RedisConnection.connect(configuration: try RedisConfiguration(url: master.url))
            let replicaAdmin = try await RedisConnection.connect(configuration: try RedisConfiguration(url: replica.url))
            _ = try await replicaAdmin.send("REPLICAOF", "NO", "ONE")
            _ = try await admin.send("REPLICAOF", "127.0.0.1", String(replica.port))
            let readOnly = await #expect(throws: RedisError.self) { _ = try await connection.send("SET", "k", "v") }
            #expect(readOnly?.reason.hasPrefix("READONLY") == true, "\(readOnly?.reason ?? "")")
            try await eventually("the connection to the demoted master is closed") { !connection.isActive }
            await admin.close()
            await replicaAdmin.close()
        }

        /// The port of the server the pool's commands reach.
        private static func port(of pool: RedisConnectionPool) async throws -> Int? {
            let info = try await pool.send("INFO", "server").string ?? ""
            let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("tcp_port:") }
            return line.flatMap { Int($0.dropFirst("tcp_port:".count)) }
        }
    }
}
