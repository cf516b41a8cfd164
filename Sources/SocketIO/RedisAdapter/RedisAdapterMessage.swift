import JavaScriptFormats
import NIOCore

/// An adapter operation published to the other instances: a broadcast (the packet as Socket.IO
/// text plus base64 attachments) or a room operation, with the selection it applies to.
struct RedisAdapterMessage: Sendable, Hashable {
    enum Kind: String, Sendable {
        case broadcast
        case addSockets
        case delSockets
        case disconnectSockets
    }

    var uid: String
    var namespace: String
    var kind: Kind
    var options: SocketIOBroadcastOptions
    var rooms: Set<String> = []
    var close = false
    var packet: SocketIOPacket?

    /// The JSON payload.
    func encode() -> [UInt8] {
        var object: SocketIOObject = [
            "uid": .string(uid), "nsp": .string(namespace), "type": .string(kind.rawValue),
            "rooms": .array(options.rooms.sorted().map { .string($0) }),
            "except": .array(options.except.sorted().map { .string($0) }),
            "targets": .array(rooms.sorted().map { .string($0) }), "close": .bool(close),
        ]
        if let packet {
            let encoded = SocketIOPacketEncoder.encode(packet)
            object["packet"] = .string(encoded.text)
            object["attachments"] = .array(encoded.attachments.map { .string(Self.base64($0)) })
        }
        return Array(SocketIOValue.object(object).jsonString.utf8)
    }

    /// Decodes a payload; nil when it is not one of ours.
    init?(payload: [UInt8]) {
        guard let value = try? SocketIOValue(parsing: payload),
            let object = value.objectValue, let uid = object["uid"]?.stringValue,
            let namespace = object["nsp"]?.stringValue,
            let kind = object["type"]?.stringValue.flatMap(Kind.init(rawValue:))
        else { return nil }
        func strings(_ key: String) -> Set<String> { Set(object[key]?.arrayValue?.compactMap(\.stringValue) ?? []) }
        self.uid = uid
        self.namespace = namespace
        self.kind = kind
        self.options = SocketIOBroadcastOptions(rooms: strings("rooms"), except: strings("except"), local: true)
        self.rooms = strings("targets")
        self.close = object["close"] == .bool(true)
        if let text = object["packet"]?.stringValue {
            var decoder = SocketIOPacketDecoder()
            var decoded = try? decoder.decode(text: text)
            for attachment in object["attachments"]?.arrayValue ?? [] {
                guard let encoded = attachment.stringValue else { return nil }
                let bytes = Array(encoded.utf8)
                guard let buffer = bytes.withUnsafeBytes({ ByteBuffer(base64: $0) }) else { return nil }
                decoded = try? decoder.decode(binary: buffer)
            }
            guard let decoded else { return nil }
            self.packet = decoded
        }
    }

    init(uid: String, namespace: String, kind: Kind, options: SocketIOBroadcastOptions) {
        self.uid = uid
        self.namespace = namespace
        self.kind = kind
        self.options = options
    }

    private static func base64(_ buffer: ByteBuffer) -> String {
        var output: [UInt8] = []
        buffer.appendBase64(to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
