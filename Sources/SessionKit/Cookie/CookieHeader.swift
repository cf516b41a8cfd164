/// Reads cookie values out of a `Cookie` request header the way Node's `cookie.parse` does:
/// pairs split at `;`, names and values trimmed of spaces and tabs, one pair of surrounding double
/// quotes removed, values URL-decoded (left as they are when decoding fails), and only the first
/// occurrence of a name counted.
public enum CookieHeader {
    /// The decoded value of the first cookie called `name` in `header`, or nil when absent.
    public static func value(named name: String, in header: String) -> String? {
        // Scanned in place (no copies of the header or the name): this runs on every request.
        var header = header
        var name = name
        return header.withUTF8 { bytes in name.withUTF8 { nameBytes in value(named: nameBytes, in: bytes) } }
    }

    private static func value(named nameBytes: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>)
        -> String?
    {
        var index = 0
        while index < bytes.count {
            guard let equals = firstIndex(of: UInt8(ascii: "="), in: bytes, from: index) else { return nil }
            var end = firstIndex(of: UInt8(ascii: ";"), in: bytes, from: index) ?? bytes.count
            if equals > end {
                // A pair without '=' before this one: restart at the last ';' before the '='.
                index = lastIndex(of: UInt8(ascii: ";"), in: bytes, before: equals) + 1
                continue
            }
            end = min(end, bytes.count)
            let keyRange = trimmed(bytes, index, equals)
            if bytes[keyRange].elementsEqual(nameBytes) {
                var valueRange = trimmed(bytes, equals + 1, end)
                if valueRange.count >= 1, bytes[valueRange.lowerBound] == UInt8(ascii: "\""),
                    bytes[valueRange.upperBound - 1] == UInt8(ascii: "\"")
                {
                    valueRange = valueRange.count >= 2 ? (valueRange.lowerBound + 1)..<(valueRange.upperBound - 1)
                        : valueRange.lowerBound..<valueRange.lowerBound
                }
                let raw = UnsafeBufferPointer(rebasing: bytes[valueRange])
                return URIComponent.decode(raw) ?? String(decoding: raw, as: UTF8.self)
            }
            index = end + 1
        }
        return nil
    }

    private static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// Index of the last `byte` strictly before `end`, or -1.
    private static func lastIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, before end: Int) -> Int {
        var index = end - 1
        while index >= 0 {
            if bytes[index] == byte { return index }
            index -= 1
        }
        return -1
    }

    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
        var lower = start
        var upper = end
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
        return lower..<upper
    }
}
