import JavaScriptFormats
import NIOCore
import Testing

@testable import SocketIO

@Suite("Edge cases of the state machines and values")
struct EdgeCaseTests {
    @Test func postsAreStillAcceptedWhileProbing() {
        let clock = TestClock()
        var (session, _) = EngineIOSession.open(sid: "s", transport: .polling, now: clock.now)
        _ = session.beginUpgrade(now: clock.now)
        _ = session.handleProbeFrame(.text("2probe"), now: clock.now)
        #expect(session.beginPost(contentLength: 2) == [])
        #expect(
            session.finishPost(body: ByteBuffer(string: "4x"), now: clock.now) == [
                .acknowledgePost, .deliver(.text("x")),
            ])
    }

    @Test func unsolicitedPongAndClientPingAreIgnored() {
        let clock = TestClock()
        var (session, _) = EngineIOSession.open(sid: "s", transport: .websocket, now: clock.now)
        #expect(session.handleWebSocketFrame(.text("3"), now: clock.now) == [])
        #expect(session.handleWebSocketFrame(.text("2"), now: clock.now) == [])
        #expect(session.handleWebSocketFrame(.text("6"), now: clock.now) == [])
        #expect(!session.isClosed)
    }

    @Test func repeatedConnectAndDisconnectWhileAuthorizing() {
        let clock = TestClock()
        var (connection, _) = SocketIOConnection.open(now: clock.now)
        _ = connection.receive(.text("0"), now: clock.now) { _ in true }
        #expect(connection.receive(.text("0"), now: clock.now) { _ in true } == [])
        #expect(connection.receive(.text("1"), now: clock.now) { _ in true } == [])
        #expect(connection.accept(namespace: "/", socketID: "late") == [])
        #expect(connection.socketID(in: "/") == nil)
    }

    @Test func objectSubscriptReplacesInPlaceAndRemoves() {
        var object: SocketIOObject = ["a": 1, "b": 2, "c": 3]
        object["a"] = "one"
        object["b"] = nil
        object["d"] = true
        #expect(SocketIOValue.object(object).jsonString == #"{"a":"one","c":3,"d":true}"#)
    }

    @Test func containsBinaryLooksThroughNesting() {
        #expect(SocketIOValue.array([["k": [.attachment(ByteBuffer())]]]).containsAttachment)
        #expect(!SocketIOValue.array([["k": [1, "x"]]]).containsAttachment)
    }
}
