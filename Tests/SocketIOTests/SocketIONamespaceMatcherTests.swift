import Testing

@testable import SocketIO

@Suite("Namespace matcher")
struct SocketIONamespaceMatcherTests {
    @Test func staticAndDynamicNamespaces() {
        var matcher = SocketIONamespaceMatcher()
        matcher.add("/custom")
        let dynamic = matcher.add { $0.hasPrefix("/dynamic-") && $0.dropFirst(9).allSatisfy(\.isNumber) }
        let anyAdmin = matcher.add { $0.hasPrefix("/admin") }
        #expect(matcher.serves("/"))
        #expect(matcher.serves("/custom"))
        #expect(matcher.serves("/dynamic-101"))
        #expect(!matcher.serves("/dynamic-x"))
        #expect(!matcher.serves("/nope"))
        #expect(matcher.parent(of: "/dynamic-7") == dynamic)
        #expect(matcher.parent(of: "/admin/users") == anyAdmin)
        #expect(matcher.parent(of: "/custom") == nil)
    }

    @Test func connectionAnswersUnknownNamespacesFromTheMatcher() {
        let clock = TestClock()
        var matcher = SocketIONamespaceMatcher()
        matcher.add { $0.hasPrefix("/room-") }
        var (connection, _) = SocketIOConnection.open(now: clock.now)
        #expect(
            connection.receive(.text("0/room-1,"), now: clock.now, namespaceExists: matcher.serves) == [
                .authorize(namespace: "/room-1", auth: nil)
            ])
        #expect(
            connection.receive(.text("0/hall,"), now: clock.now, namespaceExists: matcher.serves) == [
                .send([EngineIOPacket(.message, #"4/hall,{"message":"Invalid namespace"}"#)])
            ])
    }
}
