import JavaScriptFormats

/// A query one instance publishes on the request channel (`<prefix>-request#`) for the others:
/// which sockets of a namespace `options` selects. Every instance answers on the requester's
/// response channel (`<prefix>-response#<uid>#`) with a `RedisAdapterResponse`, even when it does
/// not serve the namespace (then with no sockets), so the requester can count the answers.
struct RedisAdapterRequest: Sendable, Hashable {
    /// The requesting instance.
    var uid: String
    /// Matches the answers to the request.
    var requestID: String
    var namespace: String
    var options: SocketIOBroadcastOptions

    init(uid: String, requestID: String, namespace: String, options: SocketIOBroadcastOptions) {
        self.uid = uid
        self.requestID = requestID
        self.namespace = namespace
        self.options = options
    }

    /// The JSON payload.
    func encode() -> [UInt8] {
        let object: SocketIOObject = [
            "uid": .string(uid), "requestId": .string(requestID), "type": "fetchSockets", "nsp": .string(namespace),
            "rooms": .array(options.rooms.sorted().map { .string($0) }),
            "except": .array(options.except.sorted().map { .string($0) }),
        ]
        return Array(SocketIOValue.object(object).jsonString.utf8)
    }

    /// Decodes a payload; nil when it is not a request of ours.
    init?(payload: [UInt8]) {
        guard let object = try? SocketIOValue(parsing: payload).objectValue,
            object["type"] == "fetchSockets", let uid = object["uid"]?.stringValue,
            let requestID = object["requestId"]?.stringValue, let namespace = object["nsp"]?.stringValue
        else { return nil }
        func strings(_ key: String) -> Set<String> { Set(object[key]?.arrayValue?.compactMap(\.stringValue) ?? []) }
        self.init(
            uid: uid, requestID: requestID, namespace: namespace,
            options: SocketIOBroadcastOptions(rooms: strings("rooms"), except: strings("except"), local: true))
    }
}

/// One instance's answer to a `RedisAdapterRequest`: its local sockets that the request selects.
struct RedisAdapterResponse: Sendable, Hashable {
    /// The answering instance.
    var uid: String
    var requestID: String
    var sockets: [SocketIOSocketDetails]

    /// The JSON payload.
    func encode() -> [UInt8] {
        let object: SocketIOObject = [
            "uid": .string(uid), "requestId": .string(requestID), "sockets": .array(sockets.map(\.json)),
        ]
        return Array(SocketIOValue.object(object).jsonString.utf8)
    }

    init(uid: String, requestID: String, sockets: [SocketIOSocketDetails]) {
        self.uid = uid
        self.requestID = requestID
        self.sockets = sockets
    }

    /// Decodes a payload; nil when malformed.
    init?(payload: [UInt8]) {
        guard let object = try? SocketIOValue(parsing: payload).objectValue,
            let uid = object["uid"]?.stringValue, let requestID = object["requestId"]?.stringValue,
            let sockets = object["sockets"]?.arrayValue
        else { return nil }
        let decoded = sockets.compactMap(SocketIOSocketDetails.init(json:))
        guard decoded.count == sockets.count else { return nil }
        self.init(uid: uid, requestID: requestID, sockets: decoded)
    }
}
