import JavaScriptFormats
import NIOCore
import Testing

@testable import SocketIO

/// The Engine.IO v3 session (client-driven heartbeat, v3 payloads) and Socket.IO protocol 4 on it.
@Suite("Engine.IO v3 session and Socket.IO protocol 4")
struct EngineIOV3SessionTests {
    static let configuration = EngineIOSessionTests.configuration
    static let v3 = EngineIOWireFormat(protocolVersion: .v3)

    @Test func theClientPingsTheServerPongsAndTheTimeoutRunsFromTheLastPing() {
        var clock = TestClock()
        var (session, opened) = EngineIOSession.open(
            sid: "s1", transport: .websocket, configuration: Self.configuration, format: Self.v3, now: clock.now)
        // no server ping: the only deadline is pingInterval + pingTimeout after the handshake
        #expect(opened.last == .scheduleTimer(clock.now + .milliseconds(500)))
        clock.advance(.milliseconds(400))
        #expect(session.handleTimer(now: clock.now) == [.scheduleTimer(clock.now + .milliseconds(100))])
        #expect(
            session.handleWebSocketFrame(.text("2"), now: clock.now) == [
                .sendFrames([.text("3")]), .scheduleTimer(clock.now + .milliseconds(500)),
            ])
        clock.advance(.milliseconds(499))
        #expect(session.handleTimer(now: clock.now) == [.scheduleTimer(clock.now + .milliseconds(1))])
        clock.advance(.milliseconds(1))
        #expect(session.handleTimer(now: clock.now) == [.closeWebSocket, .closed(.pingTimeout)])
    }

    @Test func aPongFromAV3ClientIsATransportError() {
        let clock = TestClock()
        var (session, _) = EngineIOSession.open(
            sid: "s1", transport: .websocket, configuration: Self.configuration, format: Self.v3, now: clock.now)
        #expect(session.handleWebSocketFrame(.text("3"), now: clock.now) == [.closeWebSocket, .closed(.transportError)])
    }

    @Test func pollingPostsDecodeV3PayloadsAndPongsWaitForTheNextGet() {
        let clock = TestClock()
        var (session, _) = EngineIOSession.open(
            sid: "s1", transport: .polling, configuration: Self.configuration, format: Self.v3, now: clock.now)
        let body = ByteBuffer(bytes: [0, 1, 0xFF, 0x32, 0, 3, 0xFF, 0x34, 0x34, 0x32])  // "2" then "442"
        #expect(session.beginPost(contentLength: body.readableBytes) == [])
        let actions = session.finishPost(body: body, now: clock.now)
        #expect(actions.first == .acknowledgePost)
        #expect(actions.contains(.deliver(.text("42"))))
        #expect(session.bufferedPackets == [EngineIOPacket(.pong)])
        #expect(session.handlePoll(now: clock.now) == [.answerPoll([EngineIOPacket(.pong)])])
        #expect(session.beginPost(contentLength: 3) == [])
        #expect(session.finishPost(body: ByteBuffer(string: "1:x"), now: clock.now).last == .closed(.parseError))
    }

    @Test func broadcastFramesGetTheV3TypeByteOnWebSocket() {
        let clock = TestClock()
        var (session, _) = EngineIOSession.open(
            sid: "s1", transport: .websocket, configuration: Self.configuration, format: Self.v3, now: clock.now)
        #expect(
            session.send(frames: [.text("451-[]"), .binary(ByteBuffer(bytes: [1]))]) == [
                .sendFrames([.text("451-[]"), .binary(ByteBuffer(bytes: [4, 1]))])
            ])
    }

    // MARK: - Socket.IO protocol 4

    let exists: (String) -> Bool = { ["/", "/admin"].contains($0) }

    @Test func theMainNamespaceIsJoinedWithoutAConnectAndAnsweredWithoutASid() {
        let clock = TestClock()
        var (connection, opened) = SocketIOConnection.open(engineProtocol: .v3, now: clock.now)
        #expect(opened == [.authorize(namespace: "/", auth: nil)])
        let accepted = connection.accept(namespace: "/", socketID: "sock")
        #expect(accepted == [.connected(namespace: "/", socketID: "sock", reply: [EngineIOPacket(.message, "0")])])
        #expect(connection.handleTimer(now: clock.now + .seconds(3600)) == [])  // no connectTimeout
        // a CONNECT to `/` now is a state error, as socket.io closes the client
        #expect(connection.receive(.text("0"), now: clock.now, namespaceExists: exists).last == .closeEngine)
    }

    @Test func aCustomNamespaceCarriesItsQueryAsAuth() {
        let clock = TestClock()
        var (connection, _) = SocketIOConnection.open(engineProtocol: .v3, now: clock.now)
        _ = connection.accept(namespace: "/", socketID: "main")
        #expect(
            connection.receive(.text("0/admin?token=x%20y&token=z,"), now: clock.now, namespaceExists: exists) == [
                .authorize(namespace: "/admin", auth: ["token": "x y"])
            ])
        #expect(
            connection.accept(namespace: "/admin", socketID: "a") == [
                .connected(namespace: "/admin", socketID: "a", reply: [EngineIOPacket(.message, "0/admin,")])
            ])
    }

    @Test func refusalsAreStringsOrTheRefusalData() {
        let clock = TestClock()
        var (connection, _) = SocketIOConnection.open(engineProtocol: .v3, now: clock.now)
        #expect(
            connection.refuse(namespace: "/", message: "Not authorized") == [
                .send([EngineIOPacket(.message, #"4"Not authorized""#)])
            ])
        #expect(
            connection.receive(.text("0/nope,"), now: clock.now, namespaceExists: exists) == [
                .send([EngineIOPacket(.message, #"4/nope,"Invalid namespace""#)])
            ])
        _ = connection.receive(.text("0/admin,"), now: clock.now, namespaceExists: exists)
        #expect(
            connection.refuse(namespace: "/admin", message: "m", data: ["code": 401]) == [
                .send([EngineIOPacket(.message, #"4/admin,{"code":401}"#)])
            ])
    }
}
