import SesiorTesting
import Testing

@testable import RedisStore

@Suite struct RedisConnectionTests {
    @Test func roundTripsEveryReplyType() async throws {
        try await RedisServer.withRunning { server in
            let connection = try await RedisConnection.connect(configuration: RedisConfiguration(url: server.url))
            #expect(try await connection.send("SET", "k", "v") == .simpleString("OK"))
            #expect(try await connection.send("PING") == .simpleString("PONG"))
            #expect(try await connection.send("GET", "k") == .bulkString(Array("v".utf8)))
            #expect(try await connection.send("GET", "missing") == .null)
            #expect(try await connection.send("INCRBY", "n", "-5") == .integer(-5))
            #expect(try await connection.send("RPUSH", "list", "a", "b") == .integer(2))
            #expect(try await connection.send("LRANGE", "list", "0", "-1") == .array([.bulkString([97]), .bulkString([98])]))
            #expect(try await connection.send("LRANGE", "nolist", "0", "-1") == .array([]))
            let nested = try await connection.send(
                "EVAL", "return {1, {'x', false}, redis.error_reply('boom')}", "0")
            #expect(nested == .array([.integer(1), .array([.bulkString([120]), .null]), .error("ERR boom")]))
            let error = await #expect(throws: RedisError.self) { try await connection.send("NOSUCHCOMMAND") }
            #expect(error?.kind == .server)
            #expect(error?.reason.contains("unknown command") == true)
            let binary = (0...255).map { UInt8($0) }
            try await connection.set("bin", to: binary)
            #expect(try await connection.get("bin") == binary)
            await connection.close()
        }
    }

    @Test func pipelinesTenThousandCommands() async throws {
        try await RedisServer.withRunning { server in
            let connection = try await RedisConnection.connect(configuration: RedisConfiguration(url: server.url))
            let replies = try await withThrowingTaskGroup(of: (Int, RESPValue).self) { group in
                for index in 0..<10_000 {
                    group.addTask { (index, try await connection.send("INCR", "counter")) }
                }
                var replies: [Int: RESPValue] = [:]
                for try await (index, reply) in group { replies[index] = reply }
                return replies
            }
            #expect(replies.count == 10_000)
            #expect(Set(replies.values.compactMap(\.int)) == Set(1...10_000))
            #expect(try await connection.send("GET", "counter").int == 10_000)
            await connection.close()
        }
    }

    @Test func pipelinedRepliesMatchTheirCommands() async throws {
        try await RedisServer.withRunning { server in
            let connection = try await RedisConnection.connect(configuration: RedisConfiguration(url: server.url))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<2_000 {
                    group.addTask {
                        let echoed = try await connection.send("ECHO", "value-\(index)")
                        #expect(echoed.string == "value-\(index)")
                    }
                }
                try await group.waitForAll()
            }
            await connection.close()
        }
    }

    @Test func logsInAndSelectsTheDatabaseFromTheURL() async throws {
        try await RedisServer.withRunning(password: "s3cret") { server in
            let url = "redis://default:s3cret@127.0.0.1:\(server.port)/5"
            let connection = try await RedisConnection.connect(configuration: RedisConfiguration(url: url))
            try await connection.send("SET", "where", "db5")
            let info = try await connection.send("CLIENT", "INFO").string ?? ""
            #expect(info.contains("db=5"))
            await connection.close()

            let passwordOnly = try await RedisConnection.connect(configuration: RedisConfiguration(url: server.url))
            #expect(try await passwordOnly.send("GET", "where") == .null)
            try await passwordOnly.send("SELECT", "5")
            #expect(try await passwordOnly.get("where") == Array("db5".utf8))
            await passwordOnly.close()

            let wrong = await #expect(throws: RedisError.self) {
                try await RedisConnection.connect(
                    configuration: RedisConfiguration(url: "redis://:wrong@127.0.0.1:\(server.port)"))
            }
            #expect(wrong?.kind == .connectionFailed)
            #expect(wrong?.reason.contains("WRONGPASS") == true)
            let none = await #expect(throws: RedisError.self) {
                try await RedisConnection.connect(configuration: RedisConfiguration(url: "redis://127.0.0.1:\(server.port)"))
            }
            #expect(none?.reason.contains("NOAUTH") == true)
        }
    }

    @Test func refusedConnectionSaysSo() async throws {
        let port = try await RedisServer.withRunning { server in server.port }
        let error = await #expect(throws: RedisError.self) {
            try await RedisConnection.connect(configuration: RedisConfiguration(port: port))
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.reason.contains("connection refused") == true)
    }
}
