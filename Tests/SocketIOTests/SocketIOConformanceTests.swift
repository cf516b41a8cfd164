import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import SocketIO

/// The Socket.IO CONNECT/DISCONNECT edge cases of Docs/PROTOCOLS.md's table, on the connection
/// state machine, against socket.io 4's `Client.ondecoded` and `Socket.onack`.
@Suite("Socket.IO edge cases against socket.io 4")
struct SocketIOConformanceTests {
    let exists: (String) -> Bool = { ["/", "/admin"].contains($0) }

    func message(_ text: String) -> [EngineIOPacket] { [EngineIOPacket(.message, text)] }

    func connected(_ clock: TestClock) -> SocketIOConnection {
        var (connection, _) = SocketIOConnection.open(now: clock.now)
        _ = connection.receive(.text("0"), now: clock.now, namespaceExists: exists)
        _ = connection.accept(namespace: "/", socketID: "sock")
        return connection
    }

    @Test(
        "a packet the client's state does not allow closes the whole connection with forced server close",
        arguments: [
            "0",  // CONNECT to a namespace already joined
            "1/admin,",  // DISCONNECT of a namespace not joined
            #"2/admin,["before connect"]"#,  // an event before CONNECT in that namespace
            "3/admin,0[]",  // an ack before CONNECT in that namespace
            #"4{"message":"x"}"#,  // CONNECT_ERROR, which only a server sends
        ])
    func invalidStateClosesTheConnection(text: String) {
        let clock = TestClock()
        var connection = connected(clock)
        #expect(
            connection.receive(.text(text), now: clock.now, namespaceExists: exists) == [
                .disconnected(namespace: "/", socketID: "sock", reason: .forcedServerClose), .closeEngine,
            ])
        #expect(connection.isClosed)
    }

    @Test("an event before any CONNECT closes the connection")
    func eventBeforeAnyConnect() {
        let clock = TestClock()
        var (connection, _) = SocketIOConnection.open(now: clock.now)
        #expect(connection.receive(.text(#"2["early"]"#), now: clock.now, namespaceExists: exists) == [.closeEngine])
        #expect(connection.isClosed)
    }

    @Test("a namespace the server does not serve is refused with Invalid namespace; the connection stays")
    func namespaceNotFound() {
        let clock = TestClock()
        var connection = connected(clock)
        #expect(
            connection.receive(.text("0/nope,"), now: clock.now, namespaceExists: exists) == [
                .send(message(#"4/nope,{"message":"Invalid namespace"}"#))
            ])
        #expect(connection.connectedNamespaces == ["/"])
        #expect(connection.receive(.text("0/admin,"), now: clock.now, namespaceExists: exists) == [
            .authorize(namespace: "/admin", auth: nil)
        ])
    }

    @Test("two client events with one ack id are each answered once, as socket.io answers each event")
    func reusedClientAckID() {
        let clock = TestClock()
        var connection = connected(clock)
        for _ in 0..<2 {
            #expect(
                connection.receive(.text(#"27["ask"]"#), now: clock.now, namespaceExists: exists) == [
                    .event(namespace: "/", name: "ask", arguments: [], ackID: 7)
                ])
        }
        #expect(connection.acknowledge(namespace: "/", id: 7, arguments: [1]) == [.send(message("37[1]"))])
        #expect(connection.acknowledge(namespace: "/", id: 7, arguments: [2]) == [.send(message("37[2]"))])
        #expect(connection.acknowledge(namespace: "/", id: 7, arguments: [3]) == [])
    }

    @Test("an answer callback sends only its first call, even when copied")
    func ackCallbackAnswersOnce() {
        let sent = NIOLockedValueBox<[[SocketIOValue]]>([])
        let ack = SocketIOAck { arguments in sent.withLockedValue { $0.append(arguments) } }
        let copy = ack
        ack(1)
        copy(2)
        ack(3)
        #expect(sent.withLockedValue { $0 } == [[1]])
    }

    @Test("a client ack for an id never allocated, or answered already, is ignored")
    func unknownOrRepeatedServerAckID() {
        let clock = TestClock()
        var connection = connected(clock)
        #expect(connection.receive(.text("35[]"), now: clock.now, namespaceExists: exists) == [])
        let (id, _) = connection.emit(namespace: "/", event: "q", arguments: [], expectAck: true, now: clock.now)
        #expect(id == 0)
        #expect(
            connection.receive(.text("30[true]"), now: clock.now, namespaceExists: exists) == [
                .ackReceived(namespace: "/", id: 0, arguments: [true])
            ])
        #expect(connection.receive(.text("30[true]"), now: clock.now, namespaceExists: exists) == [])
        #expect(!connection.isClosed)
    }

    @Test(
        "binary packets whose attachments do not match close the connection with parse error",
        arguments: [
            [.text(#"51-["e"]"#)],  // one attachment announced, no placeholder
            [.text(#"51-["e",{"_placeholder":true,"num":1}]"#)],  // a placeholder naming no attachment
            [.text(#"51-["e",{"_placeholder":true,"num":0}]"#), .text(#"2["e"]"#)],  // text instead of the attachment
            [.binary(ByteBuffer(bytes: [1]))],  // an attachment nothing announced
        ] as [[EngineIOData]])
    func attachmentMismatch(messages: [EngineIOData]) {
        let clock = TestClock()
        var connection = connected(clock)
        var actions: [SocketIOConnectionAction] = []
        for message in messages { actions += connection.receive(message, now: clock.now, namespaceExists: exists) }
        #expect(actions == [.disconnected(namespace: "/", socketID: "sock", reason: .parseError), .closeEngine])
    }

    @Test("a binary event with its one attachment is delivered")
    func attachmentsThatMatch() {
        let clock = TestClock()
        var connection = connected(clock)
        #expect(
            connection.receive(
                .text(#"51-["e",{"_placeholder":true,"num":0}]"#), now: clock.now, namespaceExists: exists) == [])
        #expect(
            connection.receive(.binary(ByteBuffer(bytes: [9])), now: clock.now, namespaceExists: exists) == [
                .event(namespace: "/", name: "e", arguments: [.attachment(ByteBuffer(bytes: [9]))], ackID: nil)
            ])
    }
}
