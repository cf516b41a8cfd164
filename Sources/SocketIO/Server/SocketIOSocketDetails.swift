import JavaScriptFormats

/// What one instance reports about a socket in answer to a query (`fetchSockets`): its id, rooms,
/// `data` and the basics of its handshake. Travels between instances as JSON, so binary values
/// inside `data` or `auth` arrive as `{"_placeholder":true,"num":-1}`.
public struct SocketIOSocketDetails: Hashable, Sendable {
    /// The basics of the handshake that opened the socket.
    public struct Handshake: Hashable, Sendable {
        /// The request headers, names lowercased, repeated fields joined with `", "`.
        public var headers: [String: String]
        /// The raw query string of the handshake request (empty when none).
        public var query: String
        /// The auth payload of the CONNECT packet, if any.
        public var auth: SocketIOValue?

        /// Handshake basics (all empty by default).
        public init(headers: [String: String] = [:], query: String = "", auth: SocketIOValue? = nil) {
            self.headers = headers
            self.query = query
            self.auth = auth
        }

        /// The basics of a full handshake.
        init(_ handshake: SocketIOHandshake) {
            var headers: [String: String] = [:]
            for (name, value) in handshake.headers {
                let key = name.lowercased()
                headers[key] = headers[key].map { "\($0), \(value)" } ?? value
            }
            self.init(headers: headers, query: handshake.query.map(String.init) ?? "", auth: handshake.auth)
        }
    }

    /// The socket id (per namespace).
    public var id: String
    /// The rooms the socket is in (its own id included).
    public var rooms: Set<String>
    /// The socket's application data.
    public var data: SocketIOObject
    /// The handshake basics.
    public var handshake: Handshake

    /// Details of socket `id`.
    public init(id: String, rooms: Set<String> = [], data: SocketIOObject = [:], handshake: Handshake = Handshake()) {
        self.id = id
        self.rooms = rooms
        self.data = data
        self.handshake = handshake
    }

    /// The JSON form carried between instances.
    var json: SocketIOValue {
        var handshakeObject: SocketIOObject = [
            "headers": .object(SocketIOObject(handshake.headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            "query": .string(handshake.query),
        ]
        if let auth = handshake.auth { handshakeObject["auth"] = auth }
        return [
            "id": .string(id), "rooms": .array(rooms.sorted().map { .string($0) }), "data": .object(data),
            "handshake": .object(handshakeObject),
        ]
    }

    /// Decodes the JSON form; nil when malformed.
    init?(json: SocketIOValue) {
        guard let object = json.objectValue, let id = object["id"]?.stringValue else { return nil }
        let shake = object["handshake"]?.objectValue ?? [:]
        var headers: [String: String] = [:]
        for entry in shake["headers"]?.objectValue ?? [:] {
            if let value = entry.value.stringValue { headers[entry.key] = value }
        }
        self.init(
            id: id, rooms: Set(object["rooms"]?.arrayValue?.compactMap(\.stringValue) ?? []),
            data: object["data"]?.objectValue ?? [:],
            handshake: Handshake(headers: headers, query: shake["query"]?.stringValue ?? "", auth: shake["auth"]))
    }
}
