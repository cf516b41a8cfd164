/// Ordered name/value pairs of a query string or an `application/x-www-form-urlencoded` body, as
/// Express's `req.query` / `req.body` see them: `+` is a space, `%XX` is percent-decoded, order and
/// duplicate names are kept.
public struct QueryParameters: Sendable, Sequence, CustomStringConvertible {
    /// One decoded pair.
    public typealias Element = (name: String, value: String)

    /// Every pair in the order it appeared.
    public private(set) var pairs: [(name: String, value: String)]

    /// Creates parameters from already-decoded pairs.
    public init(_ pairs: [(name: String, value: String)] = []) {
        self.pairs = pairs
    }

    /// Parses a query string (without the `?`) leniently: a malformed `%` escape is kept as written
    /// and invalid UTF-8 becomes U+FFFD, as browsers and Express do for URLs.
    public init(query: Substring) {
        pairs = (try? Self.decode(Array(query.utf8), strict: false)) ?? []
    }

    /// Parses a form body strictly: a malformed `%` escape or invalid UTF-8 throws.
    public init(formEncoded bytes: some Collection<UInt8>) throws(FormDecodingError) {
        pairs = try Self.decode(Array(bytes), strict: true)
    }

    /// The first value named `name` (exact, case-sensitive), or nil.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value named `name`, in order.
    public func values(for name: String) -> [String] {
        pairs.compactMap { $0.name == name ? $0.value : nil }
    }

    /// The number of pairs, duplicates included.
    public var count: Int { pairs.count }

    /// Whether there are no pairs.
    public var isEmpty: Bool { pairs.isEmpty }

    /// Iterates the pairs in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        pairs.makeIterator()
    }

    /// The pairs as a query string, as `URLSearchParams#toString()` writes one: ASCII letters,
    /// digits and `*-._` as they are, a space as `+`, every other UTF-8 byte as `%XX`.
    /// `QueryParameters(query:)` reads it back to the same pairs.
    public var encoded: String {
        pairs.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    private static func encode(_ text: String) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"):
                bytes.append(byte)
            case UInt8(ascii: " "):
                bytes.append(UInt8(ascii: "+"))
            default:
                bytes += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The pairs as `name=value` joined by `&`, decoded (not re-encoded).
    public var description: String {
        pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Splits on `&`, then on the first `=`; empty pieces are skipped.
    private static func decode(_ bytes: [UInt8], strict: Bool) throws(FormDecodingError) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let name = try PercentDecoding.decode(piece[..<(equals ?? piece.endIndex)], plusIsSpace: true, strict: strict)
            let value = try equals.map { (index) throws(FormDecodingError) in
                try PercentDecoding.decode(piece[(index + 1)...], plusIsSpace: true, strict: strict)
            } ?? ""
            result.append((name: name, value: value))
        }
        return result
    }
}

/// Why a form-encoded body could not be decoded.
public struct FormDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short, client-safe reason.
    public var reason: String
    /// The reason.
    public var description: String { reason }
}

/// Percent-decoding (RFC 3986 §2.1) shared by query, form, cookie and path decoding.
enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as space if asked). Strict mode throws on a malformed escape
    /// or invalid UTF-8; lenient mode keeps the escape literally and repairs the UTF-8.
    static func decode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool, strict: Bool) throws(FormDecodingError) -> String {
        guard let decoded = decodeBytes(bytes, plusIsSpace: plusIsSpace, strict: strict) else {
            throw FormDecodingError(reason: "malformed percent-encoding")
        }
        if strict {
            guard let string = String(validating: decoded, as: UTF8.self) else {
                throw FormDecodingError(reason: "invalid UTF-8 in percent-encoding")
            }
            return string
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// The decoded bytes, or nil for a malformed escape in strict mode.
    static func decodeBytes(_ bytes: some Collection<UInt8>, plusIsSpace: Bool, strict: Bool) -> [UInt8]? {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%") {
                if index + 2 < input.count, let high = hex(input[index + 1]), let low = hex(input[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                if strict { return nil }
                output.append(byte)
            } else if plusIsSpace && byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Request {
    /// The query string's parameters, parsed leniently (Express's `req.query`, flat).
    public var queryParameters: QueryParameters {
        QueryParameters(query: head.query ?? "")
    }
}
