import NIOCore
import Testing

@testable import SocketIO

@Suite("Socket.IO connection state machine")
struct SocketIOConnectionTests {
    static let known: Set<String> = ["/", "/admin"]
    let exists: (String) -> Bool = { known.contains($0) }

    func message(_ text: String) -> [EngineIOPacket] { [EngineIOPacket(.message, text)] }

    func connected(_ clock: TestClock, namespace: String = "/") -> SocketIOConnection {
        var (connection, _) = SocketIOConnection.open(configuration: .init(connectTimeout: .seconds(1)), now: clock.now)
        let connect = namespace == "/" ? "0" : "0\(namespace),"
        #expect(
            connection.receive(.text(connect), now: clock.now, namespaceExists: exists) == [
                .authorize(namespace: namespace, auth: nil)
            ])
        _ = connection.accept(namespace: namespace, socketID: "sock")
        return connection
    }

    @Test func connectWithAuthIsAuthorizedThenAccepted() {
        let clock = TestClock()
        var (connection, opened) = SocketIOConnection.open(
            configuration: .init(connectTimeout: .seconds(1)), now: clock.now)
        #expect(opened == [.scheduleTimer(clock.now + .seconds(1))])
        #expect(
            connection.receive(.text(#"0/admin,{"token":"123"}"#), now: clock.now, namespaceExists: exists) == [
                .authorize(namespace: "/admin", auth: ["token": "123"])
            ])
        #expect(
            connection.accept(namespace: "/admin", socketID: "abc") == [
                .connected(namespace: "/admin", socketID: "abc", reply: message(#"0/admin,{"sid":"abc"}"#))
            ])
        #expect(connection.socketID(in: "/admin") == "abc")
        #expect(connection.connectedNamespaces == ["/admin"])
    }

    @Test func refusalSendsConnectErrorWithMessageAndData() {
        let clock = TestClock()
        var (connection, _) = SocketIOConnection.open(now: clock.now)
        _ = connection.receive(.text("0"), now: clock.now, namespaceExists: exists)
        #expect(
            connection.refuse(namespace: "/", message: "Not authorized", data: ["code": 7]) == [
                .send(message(#"4{"message":"Not authorized","data":{"code":7}}"#))
            ])
        #expect(connection.socketID(in: "/") == nil)
        _ = connection.receive(.text("0/admin,"), now: clock.now, namespaceExists: exists)
        #expect(
            connection.refuse(namespace: "/admin", message: "Not authorized") == [
                .send(message(#"4/admin,{"message":"Not authorized"}"#))
            ])
    }

    @Test func unknownNamespaceIsRefused() {
        let clock = TestClock()
        var (connection, _) = SocketIOConnection.open(now: clock.now)
        #expect(
            connection.receive(.text("0/nope,"), now: clock.now, namespaceExists: exists) == [
                .send(message(#"4/nope,{"message":"Invalid namespace"}"#))
            ])
        #expect(!connection.isClosed)
    }

    @Test func connectTimeoutClosesAConnectionWithoutNamespace() {
        var clock = TestClock()
        var (connection, _) = SocketIOConnection.open(configuration: .init(connectTimeout: .seconds(1)), now: clock.now)
        clock.advance(.milliseconds(999))
        #expect(connection.handleTimer(now: clock.now) == [.scheduleTimer(clock.now + .milliseconds(1))])
        clock.advance(.milliseconds(1))
        #expect(connection.handleTimer(now: clock.now) == [.closeEngine])
        #expect(connection.isClosed)
    }

    @Test func connectTimeoutIsClearedByTheFirstConnect() {
        var clock = TestClock()
        var connection = connected(clock)
        clock.advance(.seconds(5))
        #expect(connection.handleTimer(now: clock.now) == [])
        #expect(!connection.isClosed)
    }

    @Test func clientEventWithAckIsAnsweredOnce() {
        let clock = TestClock()
        var connection = connected(clock, namespace: "/admin")
        #expect(
            connection.receive(.text(#"2/admin,12["foo",1]"#), now: clock.now, namespaceExists: exists) == [
                .event(namespace: "/admin", name: "foo", arguments: [1], ackID: 12)
            ])
        #expect(
            connection.acknowledge(namespace: "/admin", id: 12, arguments: ["bar"]) == [
                .send(message(#"3/admin,12["bar"]"#))
            ])
        #expect(connection.acknowledge(namespace: "/admin", id: 12, arguments: ["again"]) == [])
        #expect(connection.acknowledge(namespace: "/admin", id: 99, arguments: []) == [])
    }

    @Test func binaryEventIsReassembled() {
        let clock = TestClock()
        var connection = connected(clock)
        #expect(
            connection.receive(
                .text(#"51-["up",{"_placeholder":true,"num":0}]"#), now: clock.now, namespaceExists: exists) == [])
        let bytes = ByteBuffer(bytes: [9, 8])
        #expect(
            connection.receive(.binary(bytes), now: clock.now, namespaceExists: exists) == [
                .event(namespace: "/", name: "up", arguments: [.attachment(bytes)], ackID: nil)
            ])
    }

    @Test func serverEmitWithAckResolvesOrTimesOut() {
        var clock = TestClock()
        var connection = connected(clock)
        let (first, actions) = connection.emit(
            namespace: "/", event: "ask", arguments: [.attachment(ByteBuffer(bytes: [1]))], ackTimeout: .seconds(2),
            now: clock.now)
        #expect(first == 0)
        #expect(
            actions == [
                .send([
                    EngineIOPacket(.message, #"51-0["ask",{"_placeholder":true,"num":0}]"#),
                    .binaryMessage(ByteBuffer(bytes: [1])),
                ]),
                .scheduleTimer(clock.now + .seconds(2)),
            ])
        let (second, _) = connection.emit(
            namespace: "/", event: "ask", arguments: [], ackTimeout: .seconds(3), now: clock.now)
        #expect(second == 1)
        #expect(
            connection.receive(.text(#"30["ok"]"#), now: clock.now, namespaceExists: exists) == [
                .ackReceived(namespace: "/", id: 0, arguments: ["ok"]), .scheduleTimer(clock.now + .seconds(3)),
            ])
        #expect(connection.receive(.text(#"30["dup"]"#), now: clock.now, namespaceExists: exists) == [])
        clock.advance(.seconds(3))
        #expect(connection.handleTimer(now: clock.now) == [.ackTimedOut(namespace: "/", id: 1)])
        #expect(connection.receive(.text(#"31["late"]"#), now: clock.now, namespaceExists: exists) == [])
    }

    @Test func emitWithoutAckHasNoID() {
        let clock = TestClock()
        var connection = connected(clock)
        let (id, actions) = connection.emit(namespace: "/", event: "hi", arguments: ["x"], now: clock.now)
        #expect(id == nil)
        #expect(actions == [.send(message(#"2["hi","x"]"#))])
        #expect(connection.emit(namespace: "/admin", event: "hi", arguments: [], now: clock.now).actions == [])
    }

    @Test func disconnectReasons() {
        let clock = TestClock()
        var client = connected(clock, namespace: "/admin")
        #expect(
            client.receive(.text("1/admin,"), now: clock.now, namespaceExists: exists) == [
                .disconnected(namespace: "/admin", socketID: "sock", reason: .clientNamespaceDisconnect)
            ])
        var server = connected(clock, namespace: "/admin")
        #expect(
            server.disconnect(namespace: "/admin") == [
                .send(message("1/admin,")),
                .disconnected(namespace: "/admin", socketID: "sock", reason: .serverNamespaceDisconnect),
            ])
        for reason in [EngineIOCloseReason.transportClose, .pingTimeout, .transportError, .forcedClose] {
            var connection = connected(clock)
            #expect(
                connection.engineClosed(reason) == [
                    .disconnected(namespace: "/", socketID: "sock", reason: SocketIODisconnectReason(reason))
                ])
            #expect(connection.isClosed)
        }
        #expect(SocketIODisconnectReason(EngineIOCloseReason.pingTimeout).rawValue == "ping timeout")
    }

    static let protocolViolations = ["9", #"2["x""#, "2[1]", "2[\"connect\"]", "3[\"no id\"]"]

    @Test("packets that do not decode close the connection with parse error", arguments: protocolViolations)
    func parseErrorClosesTheConnection(text: String) {
        let clock = TestClock()
        var connection = connected(clock)
        #expect(
            connection.receive(.text(text), now: clock.now, namespaceExists: exists) == [
                .disconnected(namespace: "/", socketID: "sock", reason: .parseError), .closeEngine,
            ])
        #expect(connection.isClosed)
        #expect(connection.receive(.text(#"2["after"]"#), now: clock.now, namespaceExists: exists) == [])
    }

    @Test func unexpectedBinaryIsAParseError() {
        let clock = TestClock()
        var connection = connected(clock)
        #expect(
            connection.receive(.binary(ByteBuffer(bytes: [1])), now: clock.now, namespaceExists: exists) == [
                .disconnected(namespace: "/", socketID: "sock", reason: .parseError), .closeEngine,
            ])
    }
}
