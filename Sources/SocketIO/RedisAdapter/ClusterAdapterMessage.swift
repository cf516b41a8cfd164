import JavaScriptFormats

/// A message in the format of socket.io's `ClusterAdapter` (socket.io-adapter 2.5), which the
/// sharded Redis adapter of `@socket.io/redis-adapter` 8.x (`createShardedAdapter`) publishes:
/// `{type, data, uid, nsp}`, written with `JSON.stringify` unless it is of a kind that may carry
/// binary and does (then notepack.io MessagePack); a reader tells them apart by the first byte.
///
/// The adapter's messages, requests and responses map onto its types one to one, except the
/// classic adapter's `sockets` and `allRooms` requests (and their answers), which this format has
/// no type for: a bus asks `FETCH_SOCKETS` instead.
struct ClusterAdapterMessage: Sendable, Hashable {
    /// The `MessageType` numbers of socket.io-adapter's cluster adapter.
    enum MessageType: UInt8, Sendable, CaseIterable {
        case initialHeartbeat = 1, heartbeat, broadcast, socketsJoin, socketsLeave, disconnectSockets, fetchSockets
        case fetchSocketsResponse, serverSideEmit, serverSideEmitResponse, broadcastClientCount, broadcastAck
        case adapterClose
    }

    /// What it carries.
    enum Body: Sendable, Hashable {
        /// `BROADCAST` without a `requestId`.
        case broadcast(RedisAdapterMessage)
        /// A request for the other instances (a `BROADCAST` with a `requestId` among them).
        case request(RedisAdapterRequest)
        /// An answer to one of this instance's requests.
        case response(RedisAdapterResponse)
        /// A heartbeat or `ADAPTER_CLOSE` (of the heartbeat variant; the sharded adapter counts
        /// subscribers instead, and ignores them).
        case other(MessageType)
    }

    /// The publishing instance.
    var uid: String
    /// The namespace it is about.
    var namespace: String
    var body: Body

    init(uid: String, namespace: String, body: Body) {
        self.uid = uid
        self.namespace = namespace
        self.body = body
    }

    /// The message type `body` is sent as; nil for the classic adapter's `sockets` and
    /// `allRooms` requests and answers, which this format cannot carry.
    var type: MessageType? {
        switch body {
        case .broadcast: return .broadcast
        case .other(let type): return type
        case .request(let request):
            switch request.kind {
            case .broadcast: return .broadcast
            case .join: return .socketsJoin
            case .leave: return .socketsLeave
            case .disconnect: return .disconnectSockets
            case .fetch: return .fetchSockets
            case .serverSideEmit: return .serverSideEmit
            case .sockets, .allRooms: return nil
            }
        case .response(let response):
            switch response.kind {
            case .sockets: return .fetchSocketsResponse
            case .serverSideEmit: return .serverSideEmitResponse
            case .broadcastClientCount: return .broadcastClientCount
            case .broadcastAck: return .broadcastAck
            case .socketIDs, .rooms: return nil
            }
        }
    }

    /// The payload, with the members in the order Node writes them; nil when `type` is nil.
    func encode() -> [UInt8]? {
        guard let type else { return nil }
        var object: JSONObject<MessagePackValue> = ["type": .uint(UInt64(type.rawValue))]
        if let data = data { object["data"] = data }
        object["uid"] = .string(uid)
        object["nsp"] = .string(namespace)
        let value = MessagePackValue.map(object)
        let mayContainBinary: Set<MessageType> = [
            .broadcast, .broadcastAck, .fetchSocketsResponse, .serverSideEmit, .serverSideEmitResponse,
        ]
        if mayContainBinary.contains(type), object["data"]?.containsBinary == true {
            return RedisAdapterWire.messagePack(value)
        }
        return RedisAdapterWire.json(value)
    }

    /// `data` as the cluster adapter builds it for each type.
    private var data: MessagePackValue? {
        func options(_ options: SocketIOBroadcastOptions, flags: JSONObject<MessagePackValue> = [:]) -> MessagePackValue {
            .map([
                "rooms": RedisAdapterWire.rooms(options.rooms), "except": RedisAdapterWire.rooms(options.except),
                "flags": .map(flags),
            ])
        }
        func withRequestID(_ id: String?, _ members: JSONObject<MessagePackValue>) -> MessagePackValue {
            var object: JSONObject<MessagePackValue> = [:]
            if let id { object["requestId"] = .string(id) }
            for (key, value) in members { object[key] = value }
            return .map(object)
        }
        // The cluster adapter publishes the packet before socket.io's in-memory adapter gives it
        // its `nsp` (and, with acks, its `id`): `{type, data}` alone.
        func packet(_ packet: SocketIOPacket) -> MessagePackValue {
            var value = RedisAdapterMessage.packetValue(packet)
            if case .map(var members) = value {
                members["nsp"] = nil
                members["id"] = nil
                value = .map(members)
            }
            return value
        }
        switch body {
        case .other: return nil
        case .broadcast(let message):
            return .map([
                "packet": packet(message.packet),
                "opts": options(message.options, flags: message.flags),
            ])
        case .request(let request):
            switch request.kind {
            case .broadcast(let event, let selection, let flags):
                var object: JSONObject<MessagePackValue> = ["packet": packet(event)]
                if let id = request.requestID { object["requestId"] = .string(id) }
                object["opts"] = options(selection, flags: flags)
                return .map(object)
            case .join(let selection, let rooms), .leave(let selection, let rooms):
                return .map(["opts": options(selection), "rooms": RedisAdapterWire.rooms(rooms)])
            case .disconnect(let selection, let close):
                return .map(["opts": options(selection), "close": .bool(close)])
            case .fetch(let selection):
                var object: JSONObject<MessagePackValue> = ["opts": options(selection)]
                if let id = request.requestID { object["requestId"] = .string(id) }
                return .map(object)
            case .serverSideEmit(let arguments):
                return withRequestID(request.requestID, ["packet": .array(arguments.map(MessagePackValue.init))])
            case .sockets, .allRooms: return nil
            }
        case .response(let response):
            let id = response.requestID
            switch response.kind {
            case .sockets(let sockets): return withRequestID(id, ["sockets": .array(sockets.map(\.wireValue))])
            case .serverSideEmit(let value), .broadcastAck(let value):
                // An acknowledgement without argument is `undefined`, which JSON leaves out.
                return withRequestID(id, value.map { ["packet": MessagePackValue($0)] } ?? [:])
            case .broadcastClientCount(let count):
                return withRequestID(id, ["clientCount": .number(Double(count))])
            case .socketIDs, .rooms: return nil
            }
        }
    }

    /// Decodes a payload (JSON or MessagePack); nil when malformed or of an unknown type (which
    /// Node ignores too). `channelNamespace` is the namespace of the channel it came on, for a
    /// message without `nsp` (socket.io-adapter before 2.5.3, under `@socket.io/redis-adapter`
    /// 8.0–8.2, did not write it).
    init?(payload: [UInt8], channelNamespace: @autoclosure () -> String? = nil) {
        guard let value = RedisAdapterWire.decode(payload), let uid = value["uid"]?.stringValue,
            let namespace = value["nsp"]?.stringValue ?? channelNamespace(), let number = value["type"]?.numberValue,
            let raw = UInt8(exactly: number), let type = MessageType(rawValue: raw)
        else { return nil }
        let data = value["data"]
        let requestID = data?["requestId"]?.stringValue
        func request(_ kind: RedisAdapterRequest.Kind) -> Body { .request(RedisAdapterRequest(uid: uid, requestID: requestID, kind: kind)) }
        func response(_ kind: RedisAdapterResponse.Kind) -> Body? {
            requestID.map { .response(RedisAdapterResponse(requestID: $0, kind: kind)) }
        }
        let body: Body?
        switch type {
        case .initialHeartbeat, .heartbeat, .adapterClose: body = .other(type)
        case .broadcast:
            guard let packet = data?["packet"].flatMap(RedisAdapterMessage.packet),
                let options = RedisAdapterWire.options(data?["opts"])
            else { return nil }
            let flags = data?["opts"]?["flags"]?.mapValue ?? [:]
            if requestID != nil {
                body = request(.broadcast(packet, options, flags: flags))
            } else {
                var message = RedisAdapterMessage(uid: uid, packet: packet, options: options)
                message.options.local = false
                message.flags = flags
                body = .broadcast(message)
            }
        case .socketsJoin, .socketsLeave:
            guard let options = RedisAdapterWire.options(data?["opts"]), let rooms = RedisAdapterWire.strings(data?["rooms"])
            else { return nil }
            body = request(type == .socketsJoin ? .join(options, rooms: Set(rooms)) : .leave(options, rooms: Set(rooms)))
        case .disconnectSockets:
            guard let options = RedisAdapterWire.options(data?["opts"]) else { return nil }
            body = request(.disconnect(options, close: data?["close"] == .bool(true)))
        case .fetchSockets:
            guard requestID != nil, let options = RedisAdapterWire.options(data?["opts"]) else { return nil }
            body = request(.fetch(options))
        case .serverSideEmit:
            guard let packet = data?["packet"]?.arrayValue, packet.first?.stringValue != nil else { return nil }
            body = request(.serverSideEmit(packet.map { SocketIOValue(messagePack: $0) ?? .null }))
        case .fetchSocketsResponse:
            guard let sockets = data?["sockets"]?.arrayValue else { return nil }
            let details = sockets.compactMap(SocketIOSocketDetails.init(wireValue:))
            guard details.count == sockets.count else { return nil }
            body = response(.sockets(details))
        case .serverSideEmitResponse: body = response(.serverSideEmit(data?["packet"].flatMap { SocketIOValue(messagePack: $0) }))
        case .broadcastClientCount:
            guard let count = data?["clientCount"]?.numberValue, let exact = Int(exactly: count) else { return nil }
            body = response(.broadcastClientCount(exact))
        case .broadcastAck: body = response(.broadcastAck(data?["packet"].flatMap { SocketIOValue(messagePack: $0) }))
        }
        guard let body else { return nil }
        self.init(uid: uid, namespace: namespace, body: body)
    }
}

extension MessagePackValue {
    /// Whether a `bin` (a Node `Buffer`) or an `ArrayBuffer` extension is anywhere inside:
    /// socket.io's `hasBinary`.
    var containsBinary: Bool {
        switch self {
        case .binary: return true
        case .ext(let type, _): return type == 0
        case .array(let items): return items.contains { $0.containsBinary }
        case .map(let members): return members.contains { $0.value.containsBinary }
        default: return false
        }
    }
}
