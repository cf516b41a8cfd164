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
        case .ext(let type, let data):
            if value == .undefined { return nil }
            self = type == 0 && data.count != 8 ? .attachment(ByteBuffer(bytes: data)) : .null
        }
    }
}
