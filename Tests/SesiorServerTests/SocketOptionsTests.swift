import ArgumentParser
import NIOCore
import SocketIO
import Testing

@testable import SesiorServer

/// socket.io's server options as `sesior` flags (`maxHttpBufferSize`, `pingInterval`,
/// `pingTimeout`, `upgradeTimeout`, `transports`, `perMessageDeflate`), with socket.io's defaults.
@Suite("sesior socket options")
struct SocketOptionsTests {
    @Test("socket.io's defaults")
    func defaults() throws {
        let configuration = try SesiorOptions.parse([]).configuration(environment: [:])
        #expect(configuration.pingInterval == 25)
        #expect(configuration.pingTimeout == 20)
        #expect(configuration.upgradeTimeout == 10)
        #expect(configuration.maxHttpBufferSize == 1_000_000)
        #expect(configuration.transports == [.polling, .websocket])
        #expect(configuration.perMessageDeflate == false)
        let engine = EngineIOServerConfiguration()
        #expect(engine.path == "/socket.io/")
        #expect(engine.engine == EngineIOConfiguration(
            pingInterval: .seconds(25), pingTimeout: .seconds(20), maxPayload: 1_000_000, upgradeTimeout: .seconds(10)))
        #expect(engine.transports == [.polling, .websocket])
        #expect(engine.cors == nil)
        #expect(engine.perMessageDeflate == nil)
        #expect(engine.httpCompression == EngineIOHTTPCompression(threshold: 1024))
    }

    @Test("flags, then environment variables")
    func flagsAndEnvironment() throws {
        let environment = [
            "SESIOR_UPGRADE_TIMEOUT": "3", "SESIOR_MAX_HTTP_BUFFER_SIZE": "5000", "SESIOR_TRANSPORTS": "websocket",
            "SESIOR_PER_MESSAGE_DEFLATE": "1",
        ]
        let fromEnvironment = try SesiorOptions.parse([]).configuration(environment: environment)
        #expect(fromEnvironment.upgradeTimeout == 3)
        #expect(fromEnvironment.maxHttpBufferSize == 5000)
        #expect(fromEnvironment.transports == [.websocket])
        #expect(fromEnvironment.perMessageDeflate)
        let flags = try SesiorOptions.parse([
            "--upgrade-timeout", "4", "--max-http-buffer-size", "6000", "--transports", "polling, WebSocket",
            "--per-message-deflate",
        ]).configuration(environment: [:])
        #expect(flags.upgradeTimeout == 4)
        #expect(flags.maxHttpBufferSize == 6000)
        #expect(flags.transports == [.polling, .websocket])
        #expect(flags.perMessageDeflate)
    }

    @Test("the Redis adapter: classic by default, sharded with its subscription mode, from flags or environment")
    func socketAdapter() throws {
        #expect(try SesiorOptions.parse([]).configuration(environment: [:]).socketAdapter == .classic)
        #expect(try SesiorOptions.parse(["--socket-adapter", "sharded"]).configuration(environment: [:]).socketAdapter
            == .sharded(.dynamic))
        #expect(try SesiorOptions.parse(["--socket-adapter", "Sharded", "--sharded-subscription-mode", "dynamic-private"])
            .configuration(environment: [:]).socketAdapter == .sharded(.dynamicPrivate))
        let environment = ["SESIOR_SOCKET_ADAPTER": "sharded", "SESIOR_SHARDED_SUBSCRIPTION_MODE": "static"]
        #expect(try SesiorOptions.parse([]).configuration(environment: environment).socketAdapter == .sharded(.static))
        #expect(try SesiorOptions.parse(["--socket-adapter", "classic"]).configuration(environment: ["SESIOR_SOCKET_ADAPTER": "sharded"])
            .socketAdapter == .classic)
    }

    @Test("malformed values are refused", arguments: [
        ["SESIOR_SOCKET_ADAPTER": "kafka"], ["SESIOR_SHARDED_SUBSCRIPTION_MODE": "dynamic"],
        ["SESIOR_SOCKET_ADAPTER": "sharded", "SESIOR_SHARDED_SUBSCRIPTION_MODE": "sometimes"],
        ["SESIOR_TRANSPORTS": "carrier-pigeon"], ["SESIOR_TRANSPORTS": " , "], ["SESIOR_MAX_HTTP_BUFFER_SIZE": "0"],
        ["SESIOR_MAX_HTTP_BUFFER_SIZE": "big"], ["SESIOR_UPGRADE_TIMEOUT": "-1"],
    ])
    func malformed(environment: [String: String]) throws {
        #expect(throws: ValidationError.self) { try SesiorOptions.parse([]).configuration(environment: environment) }
    }

    @Test("the instance's Socket.IO server uses them: a WebSocket-only server refuses polling, a small buffer refuses a large POST")
    func theServerUsesThem() async throws {
        try await TestInstance.with(configure: { $0.transports = [.websocket] }) { app in
            let polling = try await HTTPTestClient.get("/socket.io/?EIO=4&transport=polling", port: app.port)
            #expect(polling.status == 400)
            #expect(polling.body == #"{"code":0,"message":"Transport unknown"}"#)
        }
        try await TestInstance.with(configure: {
            $0.maxHttpBufferSize = 100
            $0.upgradeTimeout = 2
            $0.perMessageDeflate = true
        }) { app in
            let sockets = try #require(app.instance.sockets as? ShowcaseSockets)
            let engine = sockets.io.configuration.engine
            #expect(engine.engine.maxPayload == 100)
            #expect(engine.engine.upgradeTimeout == .seconds(2))
            #expect(engine.perMessageDeflate?.minimumCompressedMessageSize == 1024)
            #expect(engine.allowRequest != nil)
            let open = try await HTTPTestClient.get("/socket.io/?EIO=4&transport=polling", port: app.port)
            #expect(open.status == 200)
            let start = open.body.index(open.body.startIndex, offsetBy: 9)
            let sid = String(open.body[start..<(open.body[start...].firstIndex(of: "\"") ?? open.body.endIndex)])
            let post = try await HTTPTestClient.send(
                "POST", "/socket.io/?EIO=4&transport=polling&sid=\(sid)", port: app.port,
                body: "4" + String(repeating: "x", count: 200))
            #expect(post.status == 413)
        }
    }
}
