import JavaScriptFormats
import NIOCore

/// The two encodings `@socket.io/redis-adapter` 8.x puts on Redis, and the values inside them.
///
/// The adapter writes broadcasts, `BROADCAST` requests and `BROADCAST_ACK` responses with its
/// parser (notepack.io MessagePack), and every other request and response with `JSON.stringify`;
/// a reader tells them apart by the first byte (`{` is JSON). Both are kept here for that reason
/// alone: a Node instance sends both and expects each kind in the form it would write itself.
enum RedisAdapterWire {
    /// The value a payload holds, JSON when it starts with `{`, MessagePack otherwise; nil when
    /// it is neither.
    static func decode(_ payload: [UInt8]) -> MessagePackValue? {
        if payload.first == UInt8(ascii: "{") {
            guard let value = try? SocketIOValue(parsing: payload) else { return nil }
            return MessagePackValue(value)
        }
        return try? MessagePackDecoder().decode(payload)
    }

    /// `JSON.stringify(value)` (binary leaves as Socket.IO placeholders, `undefined` members left out).
    static func json(_ value: MessagePackValue) -> [UInt8] {
        Array((SocketIOValue(messagePack: value) ?? .null).jsonString.utf8)
    }

    /// `notepack.encode(value)`.
    static func messagePack(_ value: MessagePackValue) -> [UInt8] { MessagePackEncoder.encode(value) }

    /// `Date#toJSON()`: `YYYY-MM-DDTHH:mm:ss.sssZ` (proleptic Gregorian, UTC), for a `Date` that
    /// travelled in MessagePack.
    static func isoDate(milliseconds: Int64) -> String {
        let (seconds, millisecond) = (milliseconds.floorDivided(by: 1000), milliseconds.floorModulo(1000))
        let (days, secondOfDay) = (seconds.floorDivided(by: 86_400), seconds.floorModulo(86_400))
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, eras of 400 years).
        let shifted = days + 719_468
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let yearText = (0...9999).contains(year) ? padded(year, 4) : (year < 0 ? "-" : "+") + padded(abs(year), 6)
        return "\(yearText)-\(padded(month, 2))-\(padded(day, 2))T\(padded(secondOfDay / 3600, 2)):"
            + "\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2)).\(padded(millisecond, 3))Z"
    }

    /// A set of rooms as the adapter spreads it into an array (sorted here, so that an encoding
    /// is reproducible).
    static func rooms(_ rooms: Set<String>) -> MessagePackValue { .array(rooms.sorted().map { .string($0) }) }

    /// The strings of an array member (nil when it is missing or holds a non-string).
    static func strings(_ value: MessagePackValue?) -> [String]? {
        guard let items = value?.arrayValue else { return nil }
        let strings = items.compactMap(\.stringValue)
        return strings.count == items.count ? strings : nil
    }

    /// `{rooms, except}` as the adapter writes the options of a remote operation.
    static func selection(_ options: SocketIOBroadcastOptions) -> MessagePackValue {
        .map(["rooms": rooms(options.rooms), "except": rooms(options.except)])
    }

    /// The options of `{rooms, except}`, applied locally by the receiver; nil when malformed.
    static func options(_ value: MessagePackValue?) -> SocketIOBroadcastOptions? {
        guard let value, value.mapValue != nil else { return nil }
        guard let rooms = strings(value["rooms"] ?? .array([])), let except = strings(value["except"] ?? .array([]))
        else { return nil }
        return SocketIOBroadcastOptions(rooms: Set(rooms), except: Set(except), local: true)
    }
}

extension MessagePackValue {
    /// A Socket.IO value as notepack writes the JavaScript value: binary leaves (Node `Buffer`s)
    /// as `bin`.
    init(_ value: SocketIOValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(MessagePackValue.init))
        case .object(let members): self = .map(members.mapValues(MessagePackValue.init))
        case .attachment(let buffer): self = .binary(Array(buffer.readableBytesView))
        }
    }
}

extension SocketIOValue {
    /// The JavaScript value a MessagePack value decodes to, as `JSON.stringify` would then see
    /// it: `bin` and `ArrayBuffer` extensions become attachments, `undefined` becomes `null` in an
    /// array and is left out of an object; nil for a top-level `undefined`.
    init?(messagePack value: MessagePackValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int, .uint, .float64, .float32: self = .number(value.numberValue ?? 0)
        case .string(let text): self = .string(text)
        case .binary(let bytes): self = .attachment(ByteBuffer(bytes: bytes))
        case .array(let items): self = .array(items.map { SocketIOValue(messagePack: $0) ?? .null })
        case .map(let members):
            var object = SocketIOObject()
            for (key, member) in members {
                if let converted = SocketIOValue(messagePack: member) { object[key] = converted }
            }
            self = .object(object)
        case .undefined: return nil
        case .date(let milliseconds): self = .string(RedisAdapterWire.isoDate(milliseconds: milliseconds))
        case .ext(let type, let data): self = type == 0 ? .attachment(ByteBuffer(bytes: data)) : .null
        }
    }
}

extension Int64 {
    /// The quotient rounded toward negative infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder with the divisor's sign.
    fileprivate func floorModulo(_ divisor: Int64) -> Int64 { self - floorDivided(by: divisor) * divisor }
}
