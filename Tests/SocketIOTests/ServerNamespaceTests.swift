import HTTPCore
import JavaScriptFormats
import NIOConcurrencyHelpers
import NIOCore
import SocketIO
import Testing

/// The Socket.IO server API driven by in-process polling clients.
struct ServerNamespaceTests {
    /// A server whose pings come often (the clients answer them when they poll) but whose
    /// timeouts are generous, so a test delayed by a loaded machine is not closed under it.
    private static func server(
        connectTimeout: TimeAmount = .seconds(60), pingInterval: TimeAmount = .milliseconds(300)
    ) -> SocketIOServer {
        SocketIOServer(
            configuration: SocketIOServerConfiguration(
                engine: EngineIOServerConfiguration(
                    engine: EngineIOConfiguration(pingInterval: pingInterval, pingTimeout: .seconds(60))),
                connection: SocketIOConnection.Configuration(connectTimeout: connectTimeout)))
    }

    @Test func unknownNamespaceIsRefused() async throws {
        let io = Self.server()
        let client = try await ServerPollingClient.open(io.engine)
        try await client.post("40/nope,")
        #expect(try await client.poll() == #"44/nope,{"message":"Invalid namespace"}"#)
    }

    @Test func dynamicNamespaceSharesItsHandlers() async throws {
        let io = Self.server()
        let parent = io.of { $0.hasPrefix("/team-") }
        parent.onConnection { socket in socket.emit("where", .string(socket.namespace.name)) }
        let client = try await ServerPollingClient.open(io.engine)
        try await client.post("40/team-7,")
        let reply = try await client.poll()
        #expect(reply.hasPrefix(#"40/team-7,{"sid":""#))
        let next = reply.contains("\u{1e}") ? reply : try await client.poll()
        #expect(next.hasSuffix(#"42/team-7,["where","/team-7"]"#))
    }

    @Test func middlewareSeesTheRequestAndAuthAndSetsData() async throws {
        let io = Self.server()
        let seen = NIOLockedValueBox<SocketIOObject?>(nil)
        io.use { handshake in
            guard handshake.cookieHeader == "connect.sid=abc", let auth = handshake.auth?.objectValue else {
                return .refuse("Not authorized", data: ["reason": "no cookie"])
            }
            return .allow(data: ["user": auth["user"] ?? .null])
        }
        io.onConnection { socket in seen.withLockedValue { $0 = socket.data } }
        let refused = try await ServerPollingClient.open(io.engine)
        try await refused.post(#"40{"user":"ann"}"#)
        #expect(try await refused.poll() == #"44{"message":"Not authorized","data":{"reason":"no cookie"}}"#)
        let allowed = try await ServerPollingClient.open(io.engine, headers: ["Cookie": "connect.sid=abc"])
        try await allowed.post(#"40{"user":"ann"}"#)
        #expect(try await allowed.poll().hasPrefix(#"40{"sid":""#))
        try await Task.sleep(for: .milliseconds(50))
        #expect(seen.withLockedValue { $0 } == ["user": "ann"])
    }

    /// A CONNECT's middleware and connection handlers finish before the next packet of the
    /// connection is handled: an event sent right behind the CONNECT reaches the handler that
    /// `onConnection` registers, however slow the middleware is.
    @Test func packetsAfterAConnectWaitForItsMiddlewareAndHandlers() async throws {
        let io = Self.server()
        io.use { _ in
            try? await Task.sleep(for: .milliseconds(200))
            return .allow
        }
        io.onConnection { socket in
            try? await Task.sleep(for: .milliseconds(50))
            socket.on("hello") { arguments, ack in ack?(.string("hi"), arguments.first ?? .null) }
        }
        let client = try await ServerPollingClient.open(io.engine)
        try await client.post("40", #"421["hello","there"]"#)
        var received = try await client.poll()
        if !received.contains("431") { received += "\u{1e}" + (try await client.poll()) }
        let packets = received.split(separator: "\u{1e}")
        #expect(packets.count == 2)
        #expect(packets.first?.hasPrefix(#"40{"sid":""#) == true)
        #expect(packets.last == #"431["hi","there"]"#)
    }

    @Test func noConnectWithinConnectTimeoutClosesTheSession() async throws {
        let io = Self.server(connectTimeout: .milliseconds(100))
        let client = try await ServerPollingClient.open(io.engine)
        #expect(try await client.pollOnce() == "1")
        #expect(try await eventually { io.engine.sessionCount == 0 })
    }

    @Test func eventsAcksAndServerAckTimeout() async throws {
        let io = Self.server()
        let outcome = NIOLockedValueBox<String?>(nil)
        io.onConnection { socket in
            socket.on("add") { arguments, ack in
                let sum = arguments.compactMap { if case .number(let n) = $0 { n } else { nil } }.reduce(0, +)
                ack?(.number(sum))
            }
            socket.on("ask") { _, _ in
                do {
                    _ = try await socket.emitWithAck("never-answered", timeout: .milliseconds(100))
                    outcome.withLockedValue { $0 = "answered" }
                } catch {
                    outcome.withLockedValue { $0 = "\(error)" }
                }
            }
        }
        let client = try await ServerPollingClient.connect(io.engine)
        try await client.post(#"425["add",1,2]"#)
        #expect(try await client.poll() == "435[3]")
        try await client.post(#"42["ask"]"#)
        #expect(try await client.poll() == #"420["never-answered"]"#)
        try await Task.sleep(for: .milliseconds(300))
        #expect(outcome.withLockedValue { $0 } == "operation has timed out")
    }

    @Test func disconnectSocketsInARoomGivesTheServerReason() async throws {
        let io = Self.server()
        let reasons = NIOLockedValueBox<[String]>([])
        io.onConnection { socket in
            socket.onDisconnect { reason in reasons.withLockedValue { $0.append(reason.rawValue) } }
            socket.on("join") { arguments, ack in
                await socket.join(arguments.first?.stringValue ?? "")
                ack?()
            }
        }
        let member = try await ServerPollingClient.connect(io.engine)
        let other = try await ServerPollingClient.connect(io.engine)
        try await member.post(#"421["join","session-1"]"#)
        #expect(try await member.poll() == "431[]")
        await io.to("session-1").disconnectSockets()
        #expect(try await member.poll() == "41")
        try await Task.sleep(for: .milliseconds(50))
        #expect(reasons.withLockedValue { $0 } == ["server namespace disconnect"])
        #expect(io.main.sockets.count == 1)
        _ = other
    }

    @Test func binaryEventIsReassembledAndBinaryEmitsAreAttachments() async throws {
        let io = Self.server()
        io.onConnection { socket in
            socket.on("upload") { arguments, ack in ack?(arguments: arguments) }
        }
        let client = try await ServerPollingClient.connect(io.engine)
        try await client.post(#"451-1["upload",{"_placeholder":true,"num":0}]"#, "bAQID")
        #expect(try await client.poll() == "461-1[{\"_placeholder\":true,\"num\":0}]\u{1e}bAQID")
    }

    @Test func closeEndsEveryConnectionWithForcedClose() async throws {
        let io = Self.server(pingInterval: .seconds(20))
        let reasons = NIOLockedValueBox<[String]>([])
        io.onConnection { socket in
            socket.onDisconnect { reason in reasons.withLockedValue { $0.append(reason.rawValue) } }
        }
        let client = try await ServerPollingClient.connect(io.engine)
        async let held = client.pollOnce()
        try await Task.sleep(for: .milliseconds(200))
        io.close()
        #expect(try await held == "1")
        try await Task.sleep(for: .milliseconds(50))
        #expect(reasons.withLockedValue { $0 } == ["forced close"])
        #expect(io.engine.sessionCount == 0)
    }
}
