import JavaScriptFormats

/// One instance's answer to a ``RedisAdapterRequest``, published on the response channel
/// (`<key>-response#<nsp>#`, or the requester's own `<key>-response#<nsp>#<uid>#`), in the
/// encoding `@socket.io/redis-adapter` 8.x uses for it: MessagePack for `broadcastAck`, JSON for
/// the others. Responses carry no instance id: the requester counts them.
struct RedisAdapterResponse: Sendable, Hashable {
    /// What is answered.
    enum Kind: Sendable, Hashable {
        /// `{requestId, sockets: [id…]}` (to `sockets`).
        case socketIDs([String])
        /// `{requestId, rooms}` (to `allRooms`).
        case rooms([String])
        /// `{requestId, sockets: [{id, handshake, rooms, data}…]}` (to `fetch`).
        case sockets([SocketIOSocketDetails])
        /// `{type: 6, requestId, data}`: one instance's acknowledgement of a `serverSideEmit`.
        case serverSideEmit(SocketIOValue?)
        /// `{type: 8, requestId, clientCount}`.
        case broadcastClientCount(Int)
        /// `{type: 9, requestId, packet}` (MessagePack): one client's acknowledgement.
        case broadcastAck(SocketIOValue?)
    }

    var requestID: String
    var kind: Kind

    init(requestID: String, kind: Kind) {
        self.requestID = requestID
        self.kind = kind
    }

    /// The payload.
    func encode() -> [UInt8] {
        let id = MessagePackValue.string(requestID)
        switch kind {
        case .socketIDs(let ids):
            return RedisAdapterWire.json(.map(["requestId": id, "sockets": .array(ids.map { .string($0) })]))
        case .rooms(let rooms):
            return RedisAdapterWire.json(.map(["requestId": id, "rooms": .array(rooms.map { .string($0) })]))
        case .sockets(let sockets):
            return RedisAdapterWire.json(.map(["requestId": id, "sockets": .array(sockets.map(\.wireValue))]))
        case .serverSideEmit(let data):
            var object: JSONObject<MessagePackValue> = ["type": .uint(6), "requestId": id]
            if let data { object["data"] = MessagePackValue(data) }
            return RedisAdapterWire.json(.map(object))
        case .broadcastClientCount(let count):
            return RedisAdapterWire.json(.map(["type": .uint(8), "requestId": id, "clientCount": .number(Double(count))]))
        case .broadcastAck(let packet):
            return RedisAdapterWire.messagePack(.map(["type": .uint(9), "requestId": id, "packet": packet.map(MessagePackValue.init) ?? .undefined]))
        }
    }

    /// Decodes a payload; nil when malformed. A `sockets` list of strings is an answer to
    /// `sockets`, of objects (or empty) an answer to `fetch`.
    init?(payload: [UInt8]) {
        guard let value = RedisAdapterWire.decode(payload), let requestID = value["requestId"]?.stringValue else { return nil }
        let type = value["type"]?.numberValue.flatMap { UInt8(exactly: $0) }.flatMap(RedisAdapterRequestType.init(rawValue:))
        switch type {
        case .serverSideEmit: kind = .serverSideEmit(value["data"].flatMap { SocketIOValue(messagePack: $0) })
        case .broadcastClientCount:
            guard let count = value["clientCount"]?.numberValue, let exact = Int(exactly: count) else { return nil }
            kind = .broadcastClientCount(exact)
        case .broadcastAck: kind = .broadcastAck(value["packet"].flatMap { SocketIOValue(messagePack: $0) })
        default:
            if let rooms = value["rooms"] {
                guard let strings = RedisAdapterWire.strings(rooms) else { return nil }
                kind = .rooms(strings)
            } else if let sockets = value["sockets"]?.arrayValue {
                if !sockets.isEmpty, let ids = RedisAdapterWire.strings(.array(sockets)) {
                    kind = .socketIDs(ids)
                } else {
                    let details = sockets.compactMap(SocketIOSocketDetails.init(wireValue:))
                    guard details.count == sockets.count else { return nil }
                    kind = .sockets(details)
                }
            } else {
                return nil
            }
        }
        self.requestID = requestID
    }
}
