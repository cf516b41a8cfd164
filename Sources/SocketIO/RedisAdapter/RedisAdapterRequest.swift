import JavaScriptFormats

/// A request one instance publishes on `<key>-request#<nsp>#` for the others, with the members
/// and in the encoding `@socket.io/redis-adapter` 8.x uses for each kind: JSON for all but
/// `broadcast`, which is MessagePack (its packet may hold binary).
///
/// Requests with a `requestID` are answered with ``RedisAdapterResponse``s on the requester's
/// response channel; room operations (`join`, `leave`, `disconnect`) are not answered.
struct RedisAdapterRequest: Sendable, Hashable {
    /// What is asked.
    enum Kind: Sendable, Hashable {
        /// `{uid, requestId, type: 0, rooms}`.
        case sockets(rooms: Set<String>)
        /// `{uid, requestId, type: 1}`.
        case allRooms
        /// `{uid, type: 2, opts: {rooms, except}, rooms}`.
        case join(SocketIOBroadcastOptions, rooms: Set<String>)
        /// `{uid, type: 3, opts: {rooms, except}, rooms}`.
        case leave(SocketIOBroadcastOptions, rooms: Set<String>)
        /// `{uid, type: 4, opts: {rooms, except}, close}`.
        case disconnect(SocketIOBroadcastOptions, close: Bool)
        /// `{uid, requestId, type: 5, opts: {rooms, except}}`.
        case fetch(SocketIOBroadcastOptions)
        /// `{uid, [requestId,] type: 6, data: [event, args…]}`; with a requestId each instance acks.
        case serverSideEmit([SocketIOValue])
        /// `{uid, requestId, type: 7, packet, opts: {rooms, except, flags}}` (MessagePack).
        case broadcast(SocketIOPacket, SocketIOBroadcastOptions, flags: JSONObject<MessagePackValue>)

        var type: RedisAdapterRequestType {
            switch self {
            case .sockets: .sockets
            case .allRooms: .allRooms
            case .join: .remoteJoin
            case .leave: .remoteLeave
            case .disconnect: .remoteDisconnect
            case .fetch: .remoteFetch
            case .serverSideEmit: .serverSideEmit
            case .broadcast: .broadcast
            }
        }
    }

    /// The requesting instance.
    var uid: String
    /// Matches the answers to the request (nil for unanswered kinds).
    var requestID: String?
    var kind: Kind

    init(uid: String, requestID: String?, kind: Kind) {
        self.uid = uid
        self.requestID = requestID
        self.kind = kind
    }

    /// The payload, in the encoding Node uses for this kind.
    func encode() -> [UInt8] {
        var object: JSONObject<MessagePackValue> = ["uid": .string(uid)]
        if let requestID { object["requestId"] = .string(requestID) }
        object["type"] = .uint(UInt64(kind.type.rawValue))
        switch kind {
        case .sockets(let rooms): object["rooms"] = RedisAdapterWire.rooms(rooms)
        case .allRooms: break
        case .join(let options, let rooms), .leave(let options, let rooms):
            object["opts"] = RedisAdapterWire.selection(options)
            object["rooms"] = RedisAdapterWire.rooms(rooms)
        case .disconnect(let options, let close):
            object["opts"] = RedisAdapterWire.selection(options)
            object["close"] = .bool(close)
        case .fetch(let options): object["opts"] = RedisAdapterWire.selection(options)
        case .serverSideEmit(let data): object["data"] = .array(data.map(MessagePackValue.init))
        case .broadcast(let packet, let options, let flags):
            object["packet"] = RedisAdapterMessage.packetValue(packet)
            object["opts"] = .map([
                "rooms": RedisAdapterWire.rooms(options.rooms), "except": RedisAdapterWire.rooms(options.except),
                "flags": .map(flags),
            ])
            return RedisAdapterWire.messagePack(.map(object))
        }
        return RedisAdapterWire.json(.map(object))
    }

    /// Decodes a payload (JSON or MessagePack); nil when it is not a request this adapter knows
    /// (unknown types are ignored, as Node does).
    init?(payload: [UInt8]) {
        guard let value = RedisAdapterWire.decode(payload), let uid = value["uid"]?.stringValue,
            let number = value["type"]?.numberValue, let raw = UInt8(exactly: number),
            let type = RedisAdapterRequestType(rawValue: raw)
        else { return nil }
        let requestID = value["requestId"]?.stringValue
        let kind: Kind
        switch type {
        case .sockets: kind = .sockets(rooms: Set(RedisAdapterWire.strings(value["rooms"]) ?? []))
        case .allRooms: kind = .allRooms
        case .remoteJoin, .remoteLeave:
            guard let options = RedisAdapterWire.options(value["opts"]), let rooms = RedisAdapterWire.strings(value["rooms"])
            else { return nil }
            kind = type == .remoteJoin ? .join(options, rooms: Set(rooms)) : .leave(options, rooms: Set(rooms))
        case .remoteDisconnect:
            guard let options = RedisAdapterWire.options(value["opts"]) else { return nil }
            kind = .disconnect(options, close: value["close"] == .bool(true))
        case .remoteFetch:
            guard let options = RedisAdapterWire.options(value["opts"]) else { return nil }
            kind = .fetch(options)
        case .serverSideEmit:
            guard let data = value["data"]?.arrayValue, data.first?.stringValue != nil else { return nil }
            kind = .serverSideEmit(data.map { SocketIOValue(messagePack: $0) ?? .null })
        case .broadcast:
            guard let packet = value["packet"].flatMap(RedisAdapterMessage.packet),
                let options = RedisAdapterWire.options(value["opts"])
            else { return nil }
            kind = .broadcast(packet, options, flags: value["opts"]?["flags"]?.mapValue ?? [:])
        case .broadcastClientCount, .broadcastAck: return nil
        }
        if requestID == nil, [.sockets, .allRooms, .remoteFetch, .broadcast].contains(type) { return nil }
        self.init(uid: uid, requestID: requestID, kind: kind)
    }
}
