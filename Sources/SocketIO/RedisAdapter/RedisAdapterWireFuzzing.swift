/// The decoders of the Redis adapters' messages, for the `RedisAdapterFuzz` target only: what
/// another instance on a shared Redis publishes reaches them unchecked.
@_spi(Fuzzing)
public enum RedisAdapterWireFuzzing {
    /// The kinds of message a payload on Redis can be read as.
    public enum Kind: CaseIterable, Sendable {
        /// A classic adapter's broadcast (`[uid, packet, options]`, MessagePack).
        case broadcast
        /// A classic adapter's request (`<key>-request#…`).
        case request
        /// A classic adapter's response (`<key>-response#…`).
        case response
        /// A sharded adapter's cluster message (`{type, data, uid, nsp}`).
        case cluster
    }

    /// `payload` read as `kind` and written again as this server would publish it; nil when it
    /// does not decode as that kind (or, for a cluster message, has no form to publish).
    public static func reencoded(_ payload: [UInt8], as kind: Kind) -> [UInt8]? {
        switch kind {
        case .broadcast: RedisAdapterMessage(payload: payload)?.encode()
        case .request: RedisAdapterRequest(payload: payload)?.encode()
        case .response: RedisAdapterResponse(payload: payload)?.encode()
        case .cluster: ClusterAdapterMessage(payload: payload)?.encode()
        }
    }

    /// Whether `payload` read as `kind` and the message read back from `encoded` are equal
    /// (both must decode).
    public static func decodesEqually(_ payload: [UInt8], _ encoded: [UInt8], as kind: Kind) -> Bool {
        switch kind {
        case .broadcast: equal(RedisAdapterMessage(payload: payload), RedisAdapterMessage(payload: encoded))
        case .request: equal(RedisAdapterRequest(payload: payload), RedisAdapterRequest(payload: encoded))
        case .response: equal(RedisAdapterResponse(payload: payload), RedisAdapterResponse(payload: encoded))
        case .cluster: equal(ClusterAdapterMessage(payload: payload), ClusterAdapterMessage(payload: encoded))
        }
    }

    private static func equal<Message: Equatable>(_ first: Message?, _ second: Message?) -> Bool {
        guard let first, let second else { return false }
        return first == second
    }
}
