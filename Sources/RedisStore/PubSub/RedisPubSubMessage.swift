/// A message delivered to a subscriber.
public struct RedisPubSubMessage: Sendable, Hashable {
    /// The channel the message was published to.
    public var channel: String
    /// The pattern that matched, for messages received through `psubscribe`; `nil` otherwise.
    public var pattern: String?
    /// The published bytes.
    public var payload: [UInt8]

    /// Creates a message.
    public init(channel: String, pattern: String? = nil, payload: [UInt8]) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }

    /// Recognizes a `message`, `smessage` (sharded) or `pmessage` push in a subscribed
    /// connection's reply stream.
    init?(push reply: RESPValue) {
        guard case .array(let parts) = reply, let kind = parts.first?.string else { return nil }
        switch (kind, parts.count) {
        case ("message", 3), ("smessage", 3):
            guard let channel = parts[1].string, let payload = parts[2].bytes else { return nil }
            self.init(channel: channel, payload: payload)
        case ("pmessage", 4):
            guard let pattern = parts[1].string, let channel = parts[2].string, let payload = parts[3].bytes else { return nil }
            self.init(channel: channel, pattern: pattern, payload: payload)
        default:
            return nil
        }
    }
}
