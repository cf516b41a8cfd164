import HTTPCore
import JavaScriptFormats

/// What one instance reports about a socket in answer to a query (`fetchSockets`): its id, rooms,
/// `data` and the basics of its handshake. Travels between instances as JSON (as
/// `@socket.io/redis-adapter` sends it), so binary values inside `data` or `auth` arrive as
/// `{"_placeholder":true,"num":-1}`.
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

    /// The form `@socket.io/redis-adapter` carries between instances:
    /// `{id, handshake: {headers, query, auth}, rooms, data}`, `query` as the object Node parses
    /// from the query string (`{"EIO":"4","transport":"websocket"}`).
    var wireValue: MessagePackValue {
        var handshakeObject: JSONObject<MessagePackValue> = [
            "headers": .map(JSONObject(handshake.headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            "query": .map(JSONObject(Self.queryPairs(handshake.query).map { ($0.0, .string($0.1)) })),
        ]
        if let auth = handshake.auth { handshakeObject["auth"] = MessagePackValue(auth) }
        return .map([
            "id": .string(id), "handshake": .map(handshakeObject), "rooms": .array(rooms.sorted().map { .string($0) }),
            "data": MessagePackValue(.object(data)),
        ])
    }

    /// Decodes the wire form; nil when malformed.
    init?(wireValue value: MessagePackValue) {
        guard let id = value["id"]?.stringValue else { return nil }
        let shake = value["handshake"]?.mapValue ?? [:]
        var headers: [String: String] = [:]
        for entry in shake["headers"]?.mapValue ?? [:] {
            if let text = entry.value.stringValue { headers[entry.key] = text }
        }
        var query = shake["query"]?.stringValue ?? ""
        if let members = shake["query"]?.mapValue {
            // Encoded, so that `queryPairs` gives these very names and values back (a value may
            // hold `&`, `=`, `%` or `+`).
            query = QueryParameters(members.compactMap { entry in entry.value.stringValue.map { (entry.key, $0) } }).encoded
        }
        self.init(
            id: id, rooms: Set(value["rooms"]?.arrayValue?.compactMap(\.stringValue) ?? []),
            data: value["data"].flatMap { SocketIOValue(messagePack: $0) }?.objectValue ?? [:],
            handshake: Handshake(headers: headers, query: query, auth: shake["auth"].flatMap { SocketIOValue(messagePack: $0) }))
    }

    /// The name-value pairs of a query string, percent-decoded (`+` as a space), leniently as
    /// Express reads `req.query`.
    static func queryPairs(_ query: String) -> [(String, String)] {
        QueryParameters(query: Substring(query)).pairs.map { ($0.name, $0.value) }
    }
}
