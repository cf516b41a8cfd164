import JavaScriptFormats
import Testing

/// The MessagePack codec against the forms notepack.io writes (its encoder picks the shortest
/// integer form for an integral number, `float 64` otherwise, fixstr/str 8/16/32 by UTF-8 length,
/// bin for a Buffer, fixext 1 type 0 for `undefined`), and its bounds on hostile input.
struct MessagePackTests {
    /// (value, bytes notepack writes for the JavaScript value it stands for).
    static let golden: [(MessagePackValue, [UInt8])] = [
        (.null, [0xc0]), (.bool(false), [0xc2]), (.bool(true), [0xc3]),
        // positive fixint up to 0x7f, then uint 8 / 16 / 32 / 64, big-endian.
        (.number(0), [0x00]), (.number(127), [0x7f]), (.number(128), [0xcc, 0x80]), (.number(255), [0xcc, 0xff]),
        (.number(256), [0xcd, 0x01, 0x00]), (.number(65535), [0xcd, 0xff, 0xff]),
        (.number(65536), [0xce, 0x00, 0x01, 0x00, 0x00]),
        (.number(4_294_967_296), [0xcf, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]),
        // negative fixint down to -32 (0xe0), then int 8 / 16 / 32 / 64, two's complement.
        (.number(-1), [0xff]), (.number(-32), [0xe0]), (.number(-33), [0xd0, 0xdf]), (.number(-128), [0xd0, 0x80]),
        (.number(-129), [0xd1, 0xff, 0x7f]), (.number(-32768), [0xd1, 0x80, 0x00]),
        (.number(-32769), [0xd2, 0xff, 0xff, 0x7f, 0xff]), (.number(-2_147_483_648), [0xd2, 0x80, 0x00, 0x00, 0x00]),
        (.number(-2_147_483_649), [0xd3, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]),
        // -0 is integral and not negative for notepack (`value >= 0`): positive fixint 0.
        (.number(-0.0), [0x00]),
        // float 64: 1.5 = 0x3FF8000000000000; Infinity = 0x7FF0000000000000.
        (.number(1.5), [0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]), (.number(.infinity), [0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0]),
        // float 32 is read (never written by notepack): 1.5 = 0x3FC00000.
        (.float32(1.5), [0xca, 0x3f, 0xc0, 0x00, 0x00]),
        // strings: header by UTF-8 byte length ("é" is c3 a9: fixstr of 2).
        (.string(""), [0xa0]), (.string("é"), [0xa2, 0xc3, 0xa9]),
        (.string(String(repeating: "a", count: 31)), [0xbf] + Array(repeating: 0x61, count: 31)),
        (.string(String(repeating: "a", count: 32)), [0xd9, 0x20] + Array(repeating: 0x61, count: 32)),
        (.string(String(repeating: "a", count: 256)), [0xda, 0x01, 0x00] + Array(repeating: 0x61, count: 256)),
        (.string(String(repeating: "a", count: 65536)), [0xdb, 0x00, 0x01, 0x00, 0x00] + Array(repeating: 0x61, count: 65536)),
        // a Buffer: bin 8 / bin 16.
        (.binary([1, 2, 3]), [0xc4, 0x03, 1, 2, 3]), (.binary(Array(repeating: 7, count: 256)), [0xc5, 0x01, 0x00] + Array(repeating: 7, count: 256)),
        // arrays: fixarray up to 15, then array 16; maps: fixmap up to 15, then map 16.
        (.array([]), [0x90]), (.array(Array(repeating: .null, count: 15)), [0x9f] + Array(repeating: 0xc0, count: 15)),
        (.array(Array(repeating: .null, count: 16)), [0xdc, 0x00, 0x10] + Array(repeating: 0xc0, count: 16)),
        (.map(["a": .number(1)]), [0x81, 0xa1, 0x61, 0x01]),
        // `undefined`: fixext 1, type 0, one zero byte.
        (.undefined, [0xd4, 0x00, 0x00]),
        // a Date (fixext 8 type 0, milliseconds as two 32-bit halves): 1_700_000_000_000 = 0x18BCFE56800.
        (.date(milliseconds: 1_700_000_000_000), [0xd7, 0x00, 0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00]),
        // a Date before 1970: -1 ms is hi = -1 (ff ff ff ff), lo = 0xffffffff.
        (.date(milliseconds: -1), [0xd7, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        // an ArrayBuffer: ext 8, length, type 0, whatever its length (8 bytes is not a Date).
        (.ext(type: 0, data: [9, 8, 7]), [0xc7, 0x03, 0x00, 9, 8, 7]),
        (.ext(type: 0, data: Array(repeating: 1, count: 8)), [0xc7, 0x08, 0x00] + Array(repeating: 1, count: 8)),
        (.ext(type: 0, data: Array(repeating: 2, count: 256)), [0xc8, 0x01, 0x00, 0x00] + Array(repeating: 2, count: 256)),
    ]

    @Test(arguments: golden.indices) func goldenBytes(_ index: Int) throws {
        let (value, bytes) = Self.golden[index]
        #expect(MessagePackEncoder.encode(value) == bytes)
        let decoded = try MessagePackDecoder().decode(bytes)
        #expect(MessagePackEncoder.encode(decoded) == bytes)
        #expect(decoded.numberValue == value.numberValue)
    }

    @Test func map16AndKeyOrder() throws {
        var members = JSONObject<MessagePackValue>()
        for index in 0..<16 { members["k\(index)"] = .number(Double(index)) }
        let bytes = MessagePackEncoder.encode(.map(members))
        #expect(Array(bytes.prefix(3)) == [0xde, 0x00, 0x10])
        // JavaScript key order: array-index keys first.
        let object: MessagePackValue = .map(["b": .null, "1": .null, "a": .null])
        #expect(MessagePackEncoder.encode(object) == [0x83, 0xa1, 0x31, 0xc0, 0xa1, 0x62, 0xc0, 0xa1, 0x61, 0xc0])
        #expect(try MessagePackDecoder().decode(bytes) == .map(members))
    }

    @Test(arguments: [
        ([0xdd, 0xff, 0xff, 0xff, 0xff], "count beyond the input"),
        ([0xdf, 0x00, 0x00, 0x00, 0x03, 0xa1, 0x61, 0xc0], "map count beyond the input"),
        ([0xdb, 0xff, 0xff, 0xff, 0xff, 0x61], "string length beyond the input"),
        ([0xc6, 0x7f, 0xff, 0xff, 0xff], "bin length beyond the input"),
        ([0xc9, 0xff, 0xff, 0xff, 0xff, 0x00], "ext length beyond the input"),
        ([0xcb, 0x00], "truncated float"), ([0xc1], "reserved byte"), ([0xc0, 0xc0], "trailing bytes"),
        ([0x81, 0x01, 0xc0], "integer key"), ([], "empty"),
    ] as [([UInt8], String)])
    func hostileInputFails(_ bytes: [UInt8], _ reason: String) {
        #expect(throws: MessagePackError.self, "\(reason)") { try MessagePackDecoder().decode(bytes) }
    }

    @Test func otherFixextsDecodeAsExtensions() throws {
        // fixext 4 of type 5 (not notepack's): read as an extension, written back as ext 8.
        #expect(try MessagePackDecoder().decode([0xd6, 0x05, 1, 2, 3, 4]) == .ext(type: 5, data: [1, 2, 3, 4]))
        #expect(try MessagePackDecoder().decode([0xd4, 0x00, 0x07]) == .ext(type: 0, data: [7]))
    }

    @Test func nestingIsBounded() throws {
        let deep = Array(repeating: UInt8(0x91), count: 10_000) + [0xc0]
        #expect(throws: MessagePackError.self) { try MessagePackDecoder().decode(deep) }
        let fine = Array(repeating: UInt8(0x91), count: 50) + [0xc0]
        #expect(MessagePackEncoder.encode(try MessagePackDecoder().decode(fine)) == fine)
    }

    @Test func javaScriptNumbers() {
        #expect(MessagePackValue.number(3) == .uint(3))
        #expect(MessagePackValue.number(-3) == .int(-3))
        #expect(MessagePackValue.number(0.25) == .float64(0.25))
        #expect(MessagePackValue.int(5).numberValue == 5)
        #expect(MessagePackEncoder.encode(.int(5)) == [0x05])
    }
}
