import Testing

@testable import RedisStore

@Suite struct RESPCodecTests {
    @Test func encodesCommandsAsBulkStringArrays() {
        let bytes = RESPCommandEncoder().encode([Array("SET".utf8), Array("k".utf8), [0, 13, 10, 255], []])
        #expect(bytes == Array("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n".utf8) + [0, 13, 10, 255] + Array("\r\n$0\r\n\r\n".utf8))
    }

    static let replies: [(String, RESPValue)] = [
        ("+OK\r\n", .simpleString("OK")),
        ("-ERR unknown command 'FOO'\r\n", .error("ERR unknown command 'FOO'")),
        (":-42\r\n", .integer(-42)),
        ("$5\r\nhe\r\no\r\n", .bulkString(Array("he\r\no".utf8))),
        ("$0\r\n\r\n", .bulkString([])),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("*0\r\n", .array([])),
        ("*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n-WRONGTYPE x\r\n", .array([.integer(1), .array([.bulkString([97]), .null]), .error("WRONGTYPE x")])),
    ]

    @Test(arguments: replies)
    func parsesEveryReplyTypeSplitAtEveryByte(wire: String, expected: RESPValue) throws {
        let bytes = Array(wire.utf8)
        for split in 0...bytes.count {
            let parser = RESPReplyParser()
            try parser.feed(Array(bytes[..<split]))
            var replies: [RESPValue] = []
            while let reply = try parser.next() { replies.append(reply) }
            try parser.feed(Array(bytes[split...]))
            while let reply = try parser.next() { replies.append(reply) }
            #expect(replies == [expected], "split at \(split)")
        }
    }

    @Test func parsesManyRepliesFromOneRead() throws {
        let parser = RESPReplyParser()
        try parser.feed(Array(String(repeating: ":7\r\n", count: 1000).utf8) + Array("$3\r\nab".utf8))
        var count = 0
        while let reply = try parser.next() {
            #expect(reply == .integer(7))
            count += 1
        }
        #expect(count == 1000)
        try parser.feed(Array("c\r\n".utf8))
        #expect(try parser.next() == .bulkString(Array("abc".utf8)))
        #expect(try parser.next() == nil)
    }

    @Test func binaryBulkStringsSurviveIntact() throws {
        let payload = (0...255).map { UInt8($0) }
        let parser = RESPReplyParser()
        try parser.feed(Array("$256\r\n".utf8) + payload + Array("\r\n".utf8))
        #expect(try parser.next() == .bulkString(payload))
    }

    @Test func rejectsMalformedInputWithAProtocolError() throws {
        let parser = RESPReplyParser()
        try parser.feed(Array("?what\r\n".utf8))
        let error = #expect(throws: RedisError.self) { try parser.next() }
        #expect(error?.kind == .protocolViolation)
        #expect(error?.reason.contains("protocol error") == true)
    }
}
