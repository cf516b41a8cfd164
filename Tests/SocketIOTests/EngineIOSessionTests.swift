import NIOCore
import Testing

@testable import SocketIO

/// A hand-driven clock: tests move time explicitly.
struct TestClock {
    var now = NIODeadline.uptimeNanoseconds(1_000_000_000)
    mutating func advance(_ amount: TimeAmount) { now = now + amount }
}

@Suite("Engine.IO session state machine")
struct EngineIOSessionTests {
    static let configuration = EngineIOConfiguration(
        pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200), maxPayload: 100,
        upgradeTimeout: .milliseconds(1000))

    func openPolling(_ clock: TestClock) -> EngineIOSession {
        let (session, actions) = EngineIOSession.open(
            sid: "s1", transport: .polling, configuration: Self.configuration, now: clock.now)
        let handshake = EngineIOHandshake(sid: "s1", transport: .polling, configuration: Self.configuration).packet
        #expect(actions == [.answerPoll([handshake]), .scheduleTimer(clock.now + .milliseconds(300))])
        return session
    }

    func openWebSocket(_ clock: TestClock) -> EngineIOSession {
        let (session, actions) = EngineIOSession.open(
            sid: "s1", transport: .websocket, configuration: Self.configuration, now: clock.now)
        #expect(
            actions == [
                .sendFrames([
                    .text(#"0{"sid":"s1","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":100}"#)
                ]),
                .scheduleTimer(clock.now + .milliseconds(300)),
            ])
        return session
    }

    @Test func heartbeatOnWebSocketPingsAndTimesOut() {
        var clock = TestClock()
        var session = openWebSocket(clock)
        clock.advance(.milliseconds(300))
        #expect(
            session.handleTimer(now: clock.now) == [
                .sendFrames([.text("2")]), .scheduleTimer(clock.now + .milliseconds(200)),
            ])
        clock.advance(.milliseconds(50))
        #expect(
            session.handleWebSocketFrame(.text("3"), now: clock.now) == [.scheduleTimer(clock.now + .milliseconds(300))]
        )
        clock.advance(.milliseconds(300))
        #expect(
            session.handleTimer(now: clock.now) == [
                .sendFrames([.text("2")]), .scheduleTimer(clock.now + .milliseconds(200)),
            ])
        clock.advance(.milliseconds(199))
        #expect(session.handleTimer(now: clock.now) == [.scheduleTimer(clock.now + .milliseconds(1))])
        clock.advance(.milliseconds(1))
        #expect(session.handleTimer(now: clock.now) == [.closeWebSocket, .closed(.pingTimeout)])
        #expect(session.isClosed)
        #expect(session.send([EngineIOPacket(.message, "late")]) == [])
    }

    @Test func heartbeatOnPollingGoesThroughTheNextGet() {
        var clock = TestClock()
        var session = openPolling(clock)
        clock.advance(.milliseconds(300))
        #expect(session.handleTimer(now: clock.now) == [.scheduleTimer(clock.now + .milliseconds(200))])
        #expect(session.handlePoll(now: clock.now) == [.answerPoll([EngineIOPacket(.ping)])])
        #expect(session.handlePoll(now: clock.now) == [])
        clock.advance(.milliseconds(200))
        #expect(session.handleTimer(now: clock.now) == [.answerPoll([EngineIOPacket(.close)]), .closed(.pingTimeout)])
        #expect(session.handlePoll(now: clock.now) == [.refuseRequest(.unknownSession)])
    }

    @Test func pongOverPollingPostDefersTheNextPing() {
        var clock = TestClock()
        var session = openPolling(clock)
        clock.advance(.milliseconds(300))
        _ = session.handleTimer(now: clock.now)
        clock.advance(.milliseconds(10))
        #expect(session.beginPost(contentLength: 1) == [])
        #expect(
            session.finishPost(body: ByteBuffer(string: "3"), now: clock.now) == [
                .acknowledgePost, .scheduleTimer(clock.now + .milliseconds(300)),
            ])
    }

    @Test func packetsBufferedWithoutGetAreFlushedInOnePayload() {
        let clock = TestClock()
        var session = openPolling(clock)
        let packets = [
            EngineIOPacket(.message, "a"), .binaryMessage(ByteBuffer(bytes: [1])), EngineIOPacket(.message, "c"),
        ]
        #expect(session.send([packets[0]]) == [])
        #expect(session.send(Array(packets[1...])) == [])
        #expect(session.bufferedPackets == packets)
        #expect(session.handlePoll(now: clock.now) == [.answerPoll(packets)])
        #expect(session.handlePoll(now: clock.now) == [])
        #expect(session.send([EngineIOPacket(.message, "d")]) == [.answerPoll([EngineIOPacket(.message, "d")])])
    }

    @Test func concurrentGetIsRefusedAndClosesTheSession() {
        let clock = TestClock()
        var session = openPolling(clock)
        #expect(session.handlePoll(now: clock.now) == [])
        #expect(
            session.handlePoll(now: clock.now) == [
                .refuseRequest(.badRequest), .answerPoll([EngineIOPacket(.close)]), .closed(.transportError),
            ])
        #expect(session.phase == .closed(.transportError))
    }

    @Test func concurrentPostIsRefusedAndClosesTheSession() {
        let clock = TestClock()
        var session = openPolling(clock)
        #expect(session.beginPost(contentLength: 2) == [])
        #expect(session.beginPost(contentLength: 2) == [.refuseRequest(.badRequest), .closed(.transportError)])
    }

    @Test func postDeliversMessagesInOrder() {
        let clock = TestClock()
        var session = openPolling(clock)
        _ = session.beginPost(contentLength: nil)
        let actions = session.finishPost(body: ByteBuffer(string: "4hello\u{1e}bAQI=\u{1e}4"), now: clock.now)
        #expect(
            actions == [
                .acknowledgePost, .deliver(.text("hello")), .deliver(.binary(ByteBuffer(bytes: [1, 2]))),
                .deliver(.text("")),
            ])
    }

    @Test func oversizedPostClosesTheSession() {
        let clock = TestClock()
        var session = openPolling(clock)
        #expect(session.handlePoll(now: clock.now) == [])
        #expect(
            session.beginPost(contentLength: 101) == [
                .refusePayloadTooLarge, .answerPoll([EngineIOPacket(.close)]), .closed(.transportError),
            ])
        var other = openPolling(clock)
        _ = other.beginPost(contentLength: nil)
        let body = ByteBuffer(string: "4" + String(repeating: "x", count: 100))
        #expect(other.finishPost(body: body, now: clock.now) == [.refusePayloadTooLarge, .closed(.transportError)])
    }

    @Test func oversizedWebSocketMessageClosesTheSession() {
        let clock = TestClock()
        var session = openWebSocket(clock)
        #expect(
            session.handleWebSocketFrame(.text("4" + String(repeating: "x", count: 99)), now: clock.now) == [
                .deliver(.text(String(repeating: "x", count: 99)))
            ])
        #expect(
            session.handleWebSocketFrame(.binary(ByteBuffer(repeating: 0, count: 101)), now: clock.now) == [
                .closeWebSocket, .closed(.transportError),
            ])
    }

    @Test func malformedInputClosesWithParseError() {
        let clock = TestClock()
        var polling = openPolling(clock)
        _ = polling.beginPost(contentLength: nil)
        #expect(
            polling.finishPost(body: ByteBuffer(string: "4a\u{1e}9"), now: clock.now) == [
                .acknowledgePost, .closed(.parseError),
            ])
        var websocket = openWebSocket(clock)
        #expect(websocket.handleWebSocketFrame(.text(""), now: clock.now) == [.closeWebSocket, .closed(.parseError)])
    }

    @Test func closePacketAndSocketCloseReportTransportClose() {
        let clock = TestClock()
        var polling = openPolling(clock)
        _ = polling.handlePoll(now: clock.now)
        _ = polling.beginPost(contentLength: nil)
        #expect(
            polling.finishPost(body: ByteBuffer(string: "1"), now: clock.now) == [
                .acknowledgePost, .answerPoll([EngineIOPacket(.noop)]), .closed(.transportClose),
            ])
        var websocket = openWebSocket(clock)
        #expect(websocket.webSocketClosed() == [.closeWebSocket, .closed(.transportClose)])
        var failing = openWebSocket(clock)
        #expect(failing.webSocketClosed(error: true) == [.closeWebSocket, .closed(.transportError)])
    }

    @Test func upgradeSequence() {
        var clock = TestClock()
        var session = openPolling(clock)
        #expect(session.handlePoll(now: clock.now) == [])
        #expect(session.beginUpgrade(now: clock.now) == [])  // the ping at 300 ms is still the earliest deadline
        #expect(session.phase == .upgrading(probed: false))
        #expect(
            session.handleProbeFrame(.text("2probe"), now: clock.now) == [
                .sendProbeFrames([.text("3probe")]), .answerPoll([EngineIOPacket(.noop)]),
            ])
        #expect(session.send([EngineIOPacket(.message, "held")]) == [])
        #expect(session.handlePoll(now: clock.now) == [.answerPoll([EngineIOPacket(.noop)])])
        clock.advance(.milliseconds(5))
        #expect(session.handleProbeFrame(.text("5"), now: clock.now) == [.upgraded, .sendFrames([.text("4held")])])
        #expect(session.phase == .upgraded)
        #expect(session.transport == .websocket)
        #expect(session.send([EngineIOPacket(.message, "x")]) == [.sendFrames([.text("4x")])])
        #expect(session.handlePoll(now: clock.now) == [.refuseRequest(.badRequest)])
        #expect(session.beginPost(contentLength: 1) == [.refuseRequest(.badRequest)])
        #expect(session.beginUpgrade(now: clock.now) == [.closeNewWebSocket])
        #expect(session.handleWebSocketFrame(.text("4after"), now: clock.now) == [.deliver(.text("after"))])
    }

    @Test func secondProbeWhileUpgradingIsClosedAtOnce() {
        let clock = TestClock()
        var session = openPolling(clock)
        _ = session.beginUpgrade(now: clock.now)
        #expect(session.beginUpgrade(now: clock.now) == [.closeNewWebSocket])
    }

    @Test func webSocketSessionClosesAnotherWebSocketAndRefusesPolling() {
        let clock = TestClock()
        var session = openWebSocket(clock)
        #expect(session.beginUpgrade(now: clock.now) == [.closeNewWebSocket])
        #expect(session.handlePoll(now: clock.now) == [.refuseRequest(.badRequest)])
    }

    @Test func upgradeTimesOutAndStaysOnPolling() {
        var clock = TestClock()
        let configuration = EngineIOConfiguration(
            pingInterval: .seconds(25), pingTimeout: .seconds(20), upgradeTimeout: .seconds(10))
        var (session, _) = EngineIOSession.open(
            sid: "s", transport: .polling, configuration: configuration, now: clock.now)
        #expect(session.beginUpgrade(now: clock.now) == [.scheduleTimer(clock.now + .seconds(10))])
        _ = session.handleProbeFrame(.text("2probe"), now: clock.now)
        _ = session.send([EngineIOPacket(.message, "m")])
        clock.advance(.seconds(10))
        #expect(session.handleTimer(now: clock.now) == [.closeProbe, .scheduleTimer(clock.now + .seconds(15))])
        #expect(session.phase == .open(.polling))
        #expect(session.handlePoll(now: clock.now) == [.answerPoll([EngineIOPacket(.message, "m")])])
    }

    @Test func unexpectedProbeMessageAbortsTheUpgrade() {
        let clock = TestClock()
        var session = openPolling(clock)
        _ = session.beginUpgrade(now: clock.now)
        #expect(session.handleProbeFrame(.text("5"), now: clock.now) == [.closeProbe])
        #expect(session.phase == .open(.polling))
        _ = session.beginUpgrade(now: clock.now)
        #expect(session.probeClosed() == [])
        #expect(session.phase == .open(.polling))
    }

    @Test func forcedCloseOnPollingWaitsForTheNextGet() {
        var clock = TestClock()
        var session = openPolling(clock)
        _ = session.send([EngineIOPacket(.message, "bye")])
        #expect(session.close(now: clock.now) == [.scheduleTimer(clock.now + .seconds(30))])
        #expect(session.phase == .closing)
        #expect(session.send([EngineIOPacket(.message, "dropped")]) == [])
        #expect(
            session.handlePoll(now: clock.now) == [
                .answerPoll([EngineIOPacket(.message, "bye"), EngineIOPacket(.close)]), .closed(.forcedClose),
            ])
        var idle = openPolling(clock)
        _ = idle.close(now: clock.now)
        clock.advance(.seconds(30))
        #expect(idle.handleTimer(now: clock.now) == [.closed(.forcedClose)])
    }

    @Test func forcedCloseWithPendingGetOrOnWebSocket() {
        let clock = TestClock()
        var polling = openPolling(clock)
        _ = polling.handlePoll(now: clock.now)
        #expect(polling.close(now: clock.now) == [.answerPoll([EngineIOPacket(.close)]), .closed(.forcedClose)])
        var websocket = openWebSocket(clock)
        #expect(websocket.close(now: clock.now) == [.closeWebSocket, .closed(.forcedClose)])
    }

    @Test func abortedPollClosesWithTransportClose() {
        let clock = TestClock()
        var session = openPolling(clock)
        #expect(session.pollAborted() == [])
        _ = session.handlePoll(now: clock.now)
        #expect(session.pollAborted() == [.closed(.transportClose)])
    }
}

@Suite("Engine.IO session with pre-encoded frames")
struct EngineIOSessionFrameTests {
    @Test func preEncodedFramesPassThroughOnWebSocketAndAreDecodedForPolling() {
        let clock = TestClock()
        let encoded = SocketIOPacketEncoder.encode(.event("e", [.attachment(ByteBuffer(bytes: [5]))]))
        #expect(
            encoded.frames == [.text(#"451-["e",{"_placeholder":true,"num":0}]"#), .binary(ByteBuffer(bytes: [5]))])
        var (websocket, _) = EngineIOSession.open(sid: "w", transport: .websocket, now: clock.now)
        #expect(websocket.send(frames: encoded.frames) == [.sendFrames(encoded.frames)])
        var (polling, _) = EngineIOSession.open(sid: "p", transport: .polling, now: clock.now)
        _ = polling.handlePoll(now: clock.now)
        #expect(polling.send(frames: encoded.frames) == [.answerPoll(encoded.engineIOPackets)])
    }
}
