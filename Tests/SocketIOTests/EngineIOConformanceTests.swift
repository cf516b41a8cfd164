import NIOCore
import Testing

@testable import SocketIO

/// The Engine.IO edge cases of Docs/PROTOCOLS.md's table, on the state machine with a
/// hand-driven clock: every ordering of two requests is fed explicitly.
@Suite("Engine.IO edge cases against engine.io 6")
struct EngineIOConformanceTests {
    static let configuration = EngineIOSessionTests.configuration

    func openPolling(_ clock: TestClock) -> EngineIOSession {
        EngineIOSession.open(sid: "s1", transport: .polling, configuration: Self.configuration, now: clock.now).0
    }

    func openWebSocket(_ clock: TestClock) -> EngineIOSession {
        EngineIOSession.open(sid: "s1", transport: .websocket, configuration: Self.configuration, now: clock.now).0
    }

    func postClose(_ session: inout EngineIOSession, _ clock: TestClock) -> [EngineIOSessionAction] {
        #expect(session.beginPost(contentLength: 1) == [])
        return session.finishPost(body: ByteBuffer(string: "1"), now: clock.now)
    }

    // MARK: - Close by the client over polling: both orders of its GET and its close POST

    @Test("a close POST while the GET is held: the GET gets 6, the session ends, a later GET is 400")
    func clientCloseWhileGetIsHeld() {
        let clock = TestClock()
        var session = openPolling(clock)
        #expect(session.handlePoll(now: clock.now) == [])
        #expect(
            postClose(&session, clock) == [
                .acknowledgePost, .answerPoll([EngineIOPacket(.noop)]), .closed(.transportClose),
            ])
        #expect(session.handlePoll(now: clock.now) == [.refuseRequest(.unknownSession)])
    }

    @Test("a close POST before its GET: the session ends at once, the GET still gets 6, the next one is 400")
    func clientCloseBeforeItsGet() {
        var clock = TestClock()
        var session = openPolling(clock)
        let until = clock.now + EngineIOSession.finalPollTimeout
        #expect(
            postClose(&session, clock) == [
                .acknowledgePost, .lingerForFinalPoll(until: until), .closed(.transportClose), .scheduleTimer(until),
            ])
        #expect(session.isClosed)
        #expect(session.beginPost(contentLength: 1) == [.refuseRequest(.unknownSession)])
        #expect(session.beginUpgrade(now: clock.now) == [.refuseRequest(.unknownSession)])
        clock.advance(.milliseconds(10))
        #expect(session.handlePoll(now: clock.now) == [.answerPoll([EngineIOPacket(.noop)]), .forget])
        #expect(session.handlePoll(now: clock.now) == [.refuseRequest(.unknownSession)])
        #expect(session.handleTimer(now: until) == [])
    }

    @Test("a session that lingers for its last GET forgets its sid at the deadline, with or without that GET")
    func lingerEndsAtItsDeadline() {
        var clock = TestClock()
        var timedOut = openPolling(clock)
        _ = postClose(&timedOut, clock)
        clock.advance(EngineIOSession.finalPollTimeout - .milliseconds(1))
        #expect(timedOut.handleTimer(now: clock.now) == [])
        clock.advance(.milliseconds(1))
        #expect(timedOut.handleTimer(now: clock.now) == [.forget])
        #expect(timedOut.handlePoll(now: clock.now) == [.refuseRequest(.unknownSession)])

        var late = openPolling(clock)
        _ = postClose(&late, clock)
        clock.advance(EngineIOSession.finalPollTimeout)
        #expect(late.handlePoll(now: clock.now) == [.refuseRequest(.unknownSession), .forget])
    }

    @Test("a close packet on WebSocket ends the session at once, with no linger")
    func closePacketOverWebSocket() {
        let clock = TestClock()
        var session = openWebSocket(clock)
        #expect(session.handleWebSocketFrame(.text("1"), now: clock.now) == [.closeWebSocket, .closed(.transportClose)])
        #expect(session.handlePoll(now: clock.now) == [.refuseRequest(.unknownSession)])
    }

    @Test("a close POST while probing an upgrade closes the probe too")
    func clientCloseWhileUpgrading() {
        let clock = TestClock()
        var session = openPolling(clock)
        #expect(session.handlePoll(now: clock.now) == [])
        _ = session.beginUpgrade(now: clock.now)
        #expect(
            postClose(&session, clock) == [
                .acknowledgePost, .closeProbe, .answerPoll([EngineIOPacket(.noop)]), .closed(.transportClose),
            ])
    }

    // MARK: - A WebSocket naming a session that is upgrading, upgraded, on WebSocket or closing

    @Test("a WebSocket naming a session that is upgrading or upgraded completes its handshake and is closed")
    func secondWebSocketIsClosedNotRefused() {
        var clock = TestClock()
        var session = openPolling(clock)
        #expect(session.beginUpgrade(now: clock.now) == [])
        #expect(session.beginUpgrade(now: clock.now) == [.closeNewWebSocket])
        #expect(session.phase == .upgrading(probed: false))
        _ = session.handleProbeFrame(.text("2probe"), now: clock.now)
        #expect(session.beginUpgrade(now: clock.now) == [.closeNewWebSocket])
        #expect(session.phase == .upgrading(probed: true))
        clock.advance(.milliseconds(5))
        #expect(session.handleProbeFrame(.text("5"), now: clock.now) == [.upgraded])
        #expect(session.beginUpgrade(now: clock.now) == [.closeNewWebSocket])
        #expect(session.phase == .upgraded)
        #expect(session.send([EngineIOPacket(.message, "still")]) == [.sendFrames([.text("4still")])])
    }

    @Test("a WebSocket naming a WebSocket session or a closing one is closed too; a closed one is 400")
    func webSocketForOtherPhases() {
        let clock = TestClock()
        var websocket = openWebSocket(clock)
        #expect(websocket.beginUpgrade(now: clock.now) == [.closeNewWebSocket])
        #expect(websocket.phase == .open(.websocket))
        var closing = openPolling(clock)
        _ = closing.close(now: clock.now)
        #expect(closing.beginUpgrade(now: clock.now) == [.closeNewWebSocket])
        #expect(closing.phase == .closing)
        var closed = openWebSocket(clock)
        _ = closed.webSocketClosed()
        #expect(closed.beginUpgrade(now: clock.now) == [.refuseRequest(.unknownSession)])
    }

    // MARK: - Other rows of the table

    @Test("a POST or GET on a WebSocket session is 400 (transport mismatch) and leaves the session open")
    func pollingOnAWebSocketSession() {
        let clock = TestClock()
        var session = openWebSocket(clock)
        #expect(session.beginPost(contentLength: 2) == [.refuseRequest(.badRequest)])
        #expect(session.handlePoll(now: clock.now) == [.refuseRequest(.badRequest)])
        #expect(session.phase == .open(.websocket))
        #expect(session.handleWebSocketFrame(.text("4ok"), now: clock.now) == [.deliver(.text("ok"))])
    }

    @Test("a ping timeout while probing closes the probe and answers the held GET with 1")
    func pingTimeoutDuringUpgrade() {
        var clock = TestClock()
        var session = openPolling(clock)
        _ = session.beginUpgrade(now: clock.now)
        clock.advance(.milliseconds(300))
        #expect(session.handleTimer(now: clock.now) == [.scheduleTimer(clock.now + .milliseconds(200))])
        #expect(session.handlePoll(now: clock.now) == [.answerPoll([EngineIOPacket(.ping)])])
        #expect(session.handlePoll(now: clock.now) == [])
        clock.advance(.milliseconds(200))
        #expect(
            session.handleTimer(now: clock.now) == [
                .closeProbe, .answerPoll([EngineIOPacket(.close)]), .closed(.pingTimeout),
            ])
    }

    @Test("a ping timeout after the probe, with no GET held, closes the probe")
    func pingTimeoutAfterTheProbe() {
        var clock = TestClock()
        var session = openPolling(clock)
        _ = session.beginUpgrade(now: clock.now)
        _ = session.handleProbeFrame(.text("2probe"), now: clock.now)
        clock.advance(.milliseconds(300))
        #expect(session.handleTimer(now: clock.now) == [.scheduleTimer(clock.now + .milliseconds(200))])
        clock.advance(.milliseconds(200))
        #expect(session.handleTimer(now: clock.now) == [.closeProbe, .closed(.pingTimeout)])
    }

    @Test("a GET during an upgrade gets 6 once the probe was answered, and is held before that")
    func getDuringUpgrade() {
        let clock = TestClock()
        var session = openPolling(clock)
        _ = session.beginUpgrade(now: clock.now)
        #expect(session.handlePoll(now: clock.now) == [])
        #expect(
            session.handleProbeFrame(.text("2probe"), now: clock.now) == [
                .sendProbeFrames([.text("3probe")]), .answerPoll([EngineIOPacket(.noop)]),
            ])
        #expect(session.handlePoll(now: clock.now) == [.answerPoll([EngineIOPacket(.noop)])])
    }
}
