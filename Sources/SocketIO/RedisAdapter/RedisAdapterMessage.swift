import JavaScriptFormats

/// A broadcast published to the other instances, as `@socket.io/redis-adapter` writes it: the
/// MessagePack array `[uid, packet, {rooms, except, flags}]` on `<key>#<nsp>#`, or on
/// `<key>#<nsp>#<room>#` when it targets exactly one room.
///
/// The packet is the socket.io-parser object `{type, data, nsp}` (plus `id` for a broadcast with
/// acks): `type` 2 for an event even with binary arguments, which sit in `data` as `bin`.
struct RedisAdapterMessage: Sendable, Hashable {
    /// The publishing instance.
    var uid: String
    /// The packet (its namespace included).
    var packet: SocketIOPacket
    /// Which sockets it targets; `local` is never set on a decoded message.
    var options: SocketIOBroadcastOptions
    /// The adapter's `flags` (`volatile`, `compress`, `timeout` …), passed through unchanged.
    var flags: JSONObject<MessagePackValue> = [:]

    init(uid: String, packet: SocketIOPacket, options: SocketIOBroadcastOptions) {
        self.uid = uid
        self.packet = packet
        self.options = options
    }

    /// The channel it is published on under `key`.
    func channel(key: String) -> String {
        let base = "\(key)#\(packet.namespace)#"
        guard options.rooms.count == 1, let room = options.rooms.first else { return base }
        return "\(base)\(room)#"
    }

    /// The MessagePack payload.
    func encode() -> [UInt8] {
        let opts: MessagePackValue = .map([
            "rooms": RedisAdapterWire.rooms(options.rooms), "except": RedisAdapterWire.rooms(options.except),
            "flags": .map(flags),
        ])
        return RedisAdapterWire.messagePack(.array([.string(uid), Self.packetValue(packet), opts]))
    }

    /// Decodes a payload; nil when it is not a broadcast message.
    init?(payload: [UInt8]) {
        guard let items = RedisAdapterWire.decode(payload)?.arrayValue, items.count >= 3,
            let uid = items[0].stringValue, let packet = Self.packet(items[1]),
            let options = RedisAdapterWire.options(items[2])
        else { return nil }
        self.init(uid: uid, packet: packet, options: options)
        self.options.local = false
        self.flags = items[2]["flags"]?.mapValue ?? [:]
    }

    /// The socket.io-parser packet object `{type, data, nsp[, id]}`.
    static func packetValue(_ packet: SocketIOPacket) -> MessagePackValue {
        var type = packet.type
        if type == .binaryEvent { type = .event }
        if type == .binaryAck { type = .ack }
        var object: JSONObject<MessagePackValue> = ["type": .uint(UInt64(type.rawValue))]
        if let data = packet.data { object["data"] = MessagePackValue(data) }
        object["nsp"] = .string(packet.namespace)
        if let id = packet.id { object["id"] = .uint(id) }
        return .map(object)
    }

    /// The packet a socket.io-parser packet object describes (`nsp` defaults to `/`); nil when
    /// malformed.
    static func packet(_ value: MessagePackValue) -> SocketIOPacket? {
        guard let number = value["type"]?.numberValue, let raw = UInt8(exactly: number),
            var type = SocketIOPacketType(rawValue: raw)
        else { return nil }
        if type == .binaryEvent { type = .event }
        if type == .binaryAck { type = .ack }
        let namespace = value["nsp"].map { $0.stringValue } ?? "/"
        guard let namespace else { return nil }
        var id: UInt64?
        if let rawID = value["id"] {
            guard let number = rawID.numberValue, let exact = UInt64(exactly: number) else { return nil }
            id = exact
        }
        let data = value["data"].flatMap { SocketIOValue(messagePack: $0) }
        return SocketIOPacket(type: type, namespace: namespace, id: id, data: data)
    }
}
