import HTTPCore
import NIOCore
import SesiorTesting
import Testing

@testable import SocketIO

@Suite("Engine.IO packet and payload codec")
struct EngineIOCodecTests {
    static let textPackets: [(String, EngineIOPacket)] = [
        ("0{\"sid\":\"x\"}", EngineIOPacket(.open, "{\"sid\":\"x\"}")),
        ("1", EngineIOPacket(.close)),
        ("2", EngineIOPacket(.ping)),
        ("3", EngineIOPacket(.pong)),
        ("2probe", .probePing),
        ("3probe", .probePong),
        ("4hello €", EngineIOPacket(.message, "hello €")),
        ("4", EngineIOPacket(.message)),
        ("5", EngineIOPacket(.upgrade)),
        ("6", EngineIOPacket(.noop)),
    ]

    @Test("text frames encode and decode", arguments: textPackets)
    func textFrames(text: String, packet: EngineIOPacket) throws {
        #expect(EngineIOFrame(packet) == .text(text))
        #expect(try EngineIOFrame.text(text).packet() == packet)
    }

    @Test func aCombiningMarkAfterTheTypeDigitStaysInTheData() throws {
        // "4" + U+0301 is one Character; the type is only the digit (found by EngineIOPacketFuzz).
        let packet = try EngineIOFrame.text("4\u{301}é").packet()
        #expect(packet == EngineIOPacket(.message, "\u{301}é"))
        #expect(EngineIOFrame(packet) == .text("4\u{301}é"))
    }

    @Test func binaryFrameIsTheRawMessage() throws {
        let bytes = ByteBuffer(bytes: [1, 2, 3, 4])
        #expect(EngineIOFrame(.binaryMessage(bytes)) == .binary(bytes))
        #expect(try EngineIOFrame.binary(bytes).packet() == .binaryMessage(bytes))
    }

    @Test("malformed text packets are refused", arguments: ["", "7", "9x", "a", "b", "/"])
    func malformedText(text: String) {
        #expect(throws: EngineIOError.self) { try EngineIOFrame.text(text).packet() }
    }

    @Test func pollingPayloadJoinsPacketsWithRecordSeparator() {
        let packets = [
            EngineIOPacket(.message, "hello"), .binaryMessage(ByteBuffer(bytes: [1, 2, 3, 4])), EngineIOPacket(.ping),
        ]
        #expect(EngineIOPayload.encodeString(packets) == "4hello\u{1e}bAQIDBA==\u{1e}2")
    }

    @Test func pollingPayloadDecodes() throws {
        let packets = try EngineIOPayload.decode("4hello\u{1e}bAQIDBA==\u{1e}3\u{1e}4\u{1e}1")
        #expect(
            packets == [
                EngineIOPacket(.message, "hello"), .binaryMessage(ByteBuffer(bytes: [1, 2, 3, 4])),
                EngineIOPacket(.pong),
                EngineIOPacket(.message), EngineIOPacket(.close),
            ])
    }

    @Test func base64WithoutPaddingIsAccepted() throws {
        #expect(try EngineIOPayload.decode("bAQIDBA") == [.binaryMessage(ByteBuffer(bytes: [1, 2, 3, 4]))])
        #expect(try EngineIOPayload.decode("b") == [.binaryMessage(ByteBuffer())])
    }

    static let malformedPayloads = ["", "\u{1e}", "4a\u{1e}", "\u{1e}4a", "8", "bA", "b!!!!", "bAQ=x", "4a\u{1e}x"]

    @Test("malformed polling payloads are refused", arguments: malformedPayloads)
    func malformedPayload(body: String) {
        #expect(throws: EngineIOError.self) { try EngineIOPayload.decode(body) }
    }

    @Test func payloadRoundTripsRandomPackets() throws {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<300 {
            let packets: [EngineIOPacket] = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                if Bool.random(using: &generator) {
                    let bytes = (0..<Int.random(in: 0...20, using: &generator)).map { _ in
                        UInt8.random(in: 0...255, using: &generator)
                    }
                    return .binaryMessage(ByteBuffer(bytes: bytes))
                }
                let type = EngineIOPacketType.allCases.randomElement(using: &generator)!
                return EngineIOPacket(type, RandomJSON.string(using: &generator))
            }
            let body = ByteBuffer(bytes: EngineIOPayload.encode(packets))
            #expect(try EngineIOPayload.decode(body) == packets)
        }
    }

    @Test func handshakeJSONMatchesTheReferenceServer() {
        let polling = EngineIOHandshake(sid: "abc", transport: .polling, configuration: EngineIOConfiguration())
        #expect(
            polling.packet
                == EngineIOPacket(
                    .open,
                    #"{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#
                ))
        let websocket = EngineIOHandshake(
            sid: "abc", transport: .websocket,
            configuration: EngineIOConfiguration(pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200)))
        #expect(
            websocket.json == #"{"sid":"abc","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}"#)
    }

    static let httpErrors: [(EngineIOHTTPError, Int, String)] = [
        (.unknownTransport, 400, #"{"code":0,"message":"Transport unknown"}"#),
        (.unknownSession, 400, #"{"code":1,"message":"Session ID unknown"}"#),
        (.badHandshakeMethod, 400, #"{"code":2,"message":"Bad handshake method"}"#),
        (.badRequest, 400, #"{"code":3,"message":"Bad request"}"#),
        (.forbidden, 403, #"{"code":4,"message":"Forbidden"}"#),
        (.unsupportedProtocolVersion, 400, #"{"code":5,"message":"Unsupported protocol version"}"#),
    ]

    @Test("HTTP error bodies", arguments: httpErrors)
    func httpErrorBody(error: EngineIOHTTPError, status: Int, json: String) {
        #expect(error.statusCode == status)
        #expect(error.json == json)
    }

    static let requests: [(HTTPMethod, String?, Bool, Result<EngineIORequest, EngineIOHTTPError>)] = [
        (.get, "EIO=4&transport=polling", false, .success(.handshake(.polling))),
        (.get, "EIO=4&transport=websocket", true, .success(.handshake(.websocket))),
        (.get, "EIO=4&transport=polling&sid=abc", false, .success(.poll(sid: "abc"))),
        (.post, "EIO=4&transport=polling&sid=a%2Bc", false, .success(.post(sid: "a+c"))),
        (.get, "EIO=4&transport=websocket&sid=abc", true, .success(.upgrade(sid: "abc"))),
        (.get, "transport=polling", false, .failure(.unsupportedProtocolVersion)),
        (.get, "EIO=3&transport=polling", false, .failure(.unsupportedProtocolVersion)),
        (.get, nil, false, .failure(.unsupportedProtocolVersion)),
        (.get, "EIO=4&transport=carrier-pigeon", false, .failure(.unknownTransport)),
        (.get, "EIO=4", false, .failure(.unknownTransport)),
        (.put, "EIO=4&transport=polling", false, .failure(.badHandshakeMethod)),
        (.post, "EIO=4&transport=polling", false, .failure(.badHandshakeMethod)),
        (.put, "EIO=4&transport=polling&sid=abc", false, .failure(.badRequest)),
        (.get, "EIO=4&transport=websocket", false, .failure(.badRequest)),
    ]

    @Test("request classification", arguments: requests)
    func classify(
        method: HTTPMethod, query: String?, upgrade: Bool, expected: Result<EngineIORequest, EngineIOHTTPError>
    ) {
        #expect(
            EngineIORequest.classify(method: method, query: query.map { $0[...] }, isWebSocketUpgrade: upgrade)
                == expected)
    }
}
