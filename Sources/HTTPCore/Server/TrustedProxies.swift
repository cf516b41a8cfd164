import NIOCore

/// The proxies whose forwarding headers a server believes, as Express's `trust proxy` setting:
/// a request whose peer is one of them may say through `X-Forwarded-Proto` that the client used
/// HTTPS (`Request.isSecure`) and through `X-Forwarded-For` who the client is
/// (`Request.clientAddress`). From any other peer the headers are ignored, so a client cannot
/// spoof them.
///
/// Entries are addresses (`10.0.0.1`, `::1`), CIDR ranges (`10.0.0.0/8`, `fd00::/8`) and the
/// names Express knows: `loopback` (127.0.0.0/8, ::1), `linklocal` (169.254.0.0/16, fe80::/10),
/// `uniquelocal` (10/8, 172.16/12, 192.168/16, fc00::/7); `all` trusts every peer.
public struct TrustedProxies: Sendable, Equatable {
    /// An address range: the first `prefixLength` bits of `bytes` (4 bytes IPv4, 16 IPv6).
    struct Range: Sendable, Equatable {
        var bytes: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for index in bytes.indices where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address[index] & mask != bytes[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    var ranges: [Range]

    /// Trusts no proxy (the default): forwarding headers are ignored.
    public static let none = TrustedProxies(ranges: [])

    /// Trusts every peer: only for a server that nothing but its proxy can reach.
    public static let all = TrustedProxies(ranges: [Range(bytes: [0, 0, 0, 0], prefixLength: 0), Range(bytes: .init(repeating: 0, count: 16), prefixLength: 0)])

    /// Whether no proxy is trusted.
    public var isEmpty: Bool { ranges.isEmpty }

    init(ranges: [Range]) { self.ranges = ranges }

    /// The proxies named by `entries` (see the type's description).
    ///
    /// - Throws: `TrustedProxies.InvalidEntry` for an entry that is no address, range or name.
    public init(_ entries: [String]) throws(InvalidEntry) {
        var ranges: [Range] = []
        for entry in entries {
            switch entry.lowercased() {
            case "all": ranges += Self.all.ranges
            case "loopback": ranges += try Self.parse(["127.0.0.0/8", "::1/128"])
            case "linklocal": ranges += try Self.parse(["169.254.0.0/16", "fe80::/10"])
            case "uniquelocal": ranges += try Self.parse(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"])
            default: ranges += try Self.parse([entry])
            }
        }
        self.ranges = ranges
    }

    private static func parse(_ entries: [String]) throws(InvalidEntry) -> [Range] {
        var ranges: [Range] = []
        for entry in entries {
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bytes = addressBytes(String(parts[0])) else { throw InvalidEntry(entry: entry) }
            var length = bytes.count * 8
            if parts.count == 2 {
                guard let given = Int(parts[1]), (0...length).contains(given) else { throw InvalidEntry(entry: entry) }
                length = given
            }
            ranges.append(Range(bytes: bytes, prefixLength: length))
        }
        return ranges
    }

    /// Whether `address` (an IP address in text) is a trusted proxy.
    public func trusts(_ address: String) -> Bool {
        guard let bytes = Self.addressBytes(address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The 4 or 16 bytes of an IP address in text; an IPv4-mapped IPv6 address gives its IPv4
    /// bytes, as Express's proxy-addr compares them.
    static func addressBytes(_ text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        return addressBytes(address)
    }

    /// The 4 or 16 bytes of an IP socket address.
    static func addressBytes(_ address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
            return bytes
        default:
            return nil
        }
    }

    /// Applies the forwarding headers of `request` when its peer is trusted: `isSecure` from the
    /// first `X-Forwarded-Proto` value, and the client address from `X-Forwarded-For`, read from
    /// the right while each hop is a trusted proxy (Express's `req.protocol` and `req.ip`).
    func apply(to request: inout Request) {
        guard let peer = request.remoteAddress, let peerBytes = Self.addressBytes(peer),
            ranges.contains(where: { $0.contains(peerBytes) })
        else { return }
        if !request.isSecure, let proto = request.headers["X-Forwarded-Proto"] {
            let first = proto.split(separator: ",", maxSplits: 1).first.map { $0.trimmingASCIISpaces() } ?? ""
            request.isSecure = first.lowercased() == "https"
        }
        guard let forwarded = request.headers["X-Forwarded-For"] else { return }
        let hops = forwarded.split(separator: ",").map { String($0.trimmingASCIISpaces()) }
        var client: String?
        for hop in hops.reversed() {
            client = hop
            guard trusts(hop) else { break }
        }
        if let client { request.forwardedClientAddress = client }
    }

    /// An entry of a trusted-proxy list that is no address, CIDR range or known name.
    public struct InvalidEntry: Error, Sendable, CustomStringConvertible {
        /// The entry as given.
        public let entry: String
        /// "not an IP address, CIDR range or loopback/linklocal/uniquelocal/all: <entry>".
        public var description: String {
            "not an IP address, CIDR range or loopback/linklocal/uniquelocal/all: \(entry)"
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingASCIISpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
