import NIOCore

extension HTTPHeaders {
    /// Calls `body` with the name and value bytes of every field, in order, without making strings.
    @inlinable
    func forEachRawField(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Void) {
        storage.withUnsafeReadableBytes { raw in
            for field in entries {
                let nameStart = Int(field.nameStart)
                let valueStart = Int(field.valueStart)
                body(
                    UnsafeRawBufferPointer(rebasing: raw[nameStart..<(nameStart + Int(field.nameLength))]),
                    UnsafeRawBufferPointer(rebasing: raw[valueStart..<(valueStart + Int(field.valueLength))]))
            }
        }
    }
}

/// The response fields the serializer manages itself, recognized from their name bytes.
enum ManagedField {
    case connection
    case contentLength
    case transferEncoding
    case date
    case other

    init(name: UnsafeRawBufferPointer) {
        switch name.count {
        case 4 where Self.equalsIgnoringCase(name, "date"): self = .date
        case 10 where Self.equalsIgnoringCase(name, "connection"): self = .connection
        case 14 where Self.equalsIgnoringCase(name, "content-length"): self = .contentLength
        case 17 where Self.equalsIgnoringCase(name, "transfer-encoding"): self = .transferEncoding
        default: self = .other
        }
    }

    /// ASCII case-insensitive equality of `bytes` with the lowercase constant `lowercase`.
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for index in 0..<bytes.count where HTTPHeaders.asciiLowercased(bytes[index]) != expected[index] {
            return false
        }
        return true
    }

    /// Whether `bytes` contain the lowercase token `lowercase` (ASCII case-insensitive).
    static func containsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        let length = lowercase.utf8CodeUnitCount
        guard bytes.count >= length else { return false }
        for start in 0...(bytes.count - length)
        where equalsIgnoringCase(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]), lowercase) {
            return true
        }
        return false
    }

    /// The non-negative decimal number `bytes` spell, or nil.
    static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Whether a field with these bytes may be written: a non-empty name without `:`, and no CR,
    /// LF or NUL anywhere (which would split or truncate the response).
    static func isWritable(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> Bool {
        guard !name.isEmpty else { return false }
        for byte in name where byte == UInt8(ascii: ":") || byte == 0x0D || byte == 0x0A || byte == 0 {
            return false
        }
        for byte in value where byte == 0x0D || byte == 0x0A || byte == 0 {
            return false
        }
        return true
    }
}
