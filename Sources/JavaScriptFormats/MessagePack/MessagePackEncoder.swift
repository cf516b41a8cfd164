/// Writes ``MessagePackValue``s with the forms notepack.io chooses: the shortest fixint/`uint`/`int`
/// for an integer, `float 64` for any other number, fixstr/`str 8/16/32`, `bin 8/16/32`,
/// fixarray/`array 16/32`, fixmap/`map 16/32`, `fixext 1` for `undefined`, `fixext 8` for a
/// `Date`, and `ext 8/16/32` for any other extension.
public enum MessagePackEncoder {
    /// The encoding of `value`.
    public static func encode(_ value: MessagePackValue) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(value, into: &bytes)
        return bytes
    }

    /// Appends the encoding of `value` to `bytes`.
    public static func encode(_ value: MessagePackValue, into bytes: inout [UInt8]) {
        switch value {
        case .null: bytes.append(0xc0)
        case .bool(let flag): bytes.append(flag ? 0xc3 : 0xc2)
        case .uint(let number): appendUnsigned(number, into: &bytes)
        case .int(let number):
            if number >= 0 { appendUnsigned(UInt64(number), into: &bytes) } else { appendNegative(number, into: &bytes) }
        case .float64(let number):
            bytes.append(0xcb)
            appendBigEndian(number.bitPattern, size: 8, into: &bytes)
        case .float32(let number):
            bytes.append(0xca)
            appendBigEndian(UInt64(number.bitPattern), size: 4, into: &bytes)
        case .string(let text):
            let utf8 = Array(text.utf8)
            appendHeader(utf8.count, fix: 0xa0, fixLimit: 0x20, eight: 0xd9, sixteen: 0xda, thirtyTwo: 0xdb, into: &bytes)
            bytes.append(contentsOf: utf8)
        case .binary(let data):
            appendHeader(data.count, fix: nil, fixLimit: 0, eight: 0xc4, sixteen: 0xc5, thirtyTwo: 0xc6, into: &bytes)
            bytes.append(contentsOf: data)
        case .array(let items):
            appendHeader(items.count, fix: 0x90, fixLimit: 0x10, eight: nil, sixteen: 0xdc, thirtyTwo: 0xdd, into: &bytes)
            for item in items { encode(item, into: &bytes) }
        case .map(let members):
            appendHeader(members.count, fix: 0x80, fixLimit: 0x10, eight: nil, sixteen: 0xde, thirtyTwo: 0xdf, into: &bytes)
            for (key, member) in members {
                encode(.string(key), into: &bytes)
                encode(member, into: &bytes)
            }
        case .undefined: bytes += [0xd4, 0x00, 0x00]
        case .date(let milliseconds):
            bytes += [0xd7, 0x00]
            appendBigEndian(UInt64(bitPattern: milliseconds), size: 8, into: &bytes)
        case .ext(let type, let data):
            appendHeader(data.count, fix: nil, fixLimit: 0, eight: 0xc7, sixteen: 0xc8, thirtyTwo: 0xc9, into: &bytes)
            bytes.append(UInt8(bitPattern: type))
            bytes.append(contentsOf: data)
        }
    }

    private static func appendUnsigned(_ number: UInt64, into bytes: inout [UInt8]) {
        switch number {
        case ..<0x80: bytes.append(UInt8(number))
        case ..<0x100: bytes += [0xcc, UInt8(number)]
        case ..<0x1_0000:
            bytes.append(0xcd)
            appendBigEndian(number, size: 2, into: &bytes)
        case ..<0x1_0000_0000:
            bytes.append(0xce)
            appendBigEndian(number, size: 4, into: &bytes)
        default:
            bytes.append(0xcf)
            appendBigEndian(number, size: 8, into: &bytes)
        }
    }

    private static func appendNegative(_ number: Int64, into bytes: inout [UInt8]) {
        let pattern = UInt64(bitPattern: number)
        switch number {
        case (-0x20)...: bytes.append(UInt8(truncatingIfNeeded: pattern))
        case (-0x80)...: bytes += [0xd0, UInt8(truncatingIfNeeded: pattern)]
        case (-0x8000)...:
            bytes.append(0xd1)
            appendBigEndian(pattern, size: 2, into: &bytes)
        case (-0x8000_0000)...:
            bytes.append(0xd2)
            appendBigEndian(pattern, size: 4, into: &bytes)
        default:
            bytes.append(0xd3)
            appendBigEndian(pattern, size: 8, into: &bytes)
        }
    }

    private static func appendHeader(
        _ count: Int, fix: UInt8?, fixLimit: Int, eight: UInt8?, sixteen: UInt8, thirtyTwo: UInt8, into bytes: inout [UInt8]
    ) {
        if let fix, count < fixLimit {
            bytes.append(fix | UInt8(count))
        } else if let eight, count < 0x100 {
            bytes += [eight, UInt8(count)]
        } else if count < 0x1_0000 {
            bytes.append(sixteen)
            appendBigEndian(UInt64(count), size: 2, into: &bytes)
        } else {
            bytes.append(thirtyTwo)
            appendBigEndian(UInt64(count), size: 4, into: &bytes)
        }
    }

    private static func appendBigEndian(_ value: UInt64, size: Int, into bytes: inout [UInt8]) {
        for shift in stride(from: (size - 1) * 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
