/// Writes JSON text as JavaScript's `JSON.stringify` does, into UTF-8 bytes.
///
/// No whitespace; object keys in the object's (JavaScript) order; numbers as
/// ``JavaScriptNumber`` formats them, non-finite ones as `null`; strings escaping only `"`, `\`
/// and control characters. Protocol code also writes its own small documents with it, member by
/// member (`append` for the fixed parts, `writeString` / `writeNumber` for the values).
public struct JSONWriter {
    /// The UTF-8 text written so far.
    public var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes.
    @inlinable
    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    @inlinable
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends one byte as it is.
    @inlinable
    public mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// Appends text as it is (no quoting or escaping).
    @inlinable
    public mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Writes a value that holds no attachments.
    @inlinable
    public mutating func write(_ value: JSONValue) {
        write(value) { _, _ in }
    }

    /// Writes a value; `attachment` writes each attachment in its place (Socket.IO writes a
    /// binary placeholder there and collects the bytes).
    @inlinable
    public mutating func write<Attachment>(
        _ value: JSONTree<Attachment>, attachment: (Attachment, inout JSONWriter) -> Void
    ) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let number): writeNumber(number)
        case .string(let string): writeString(string)
        case .array(let elements):
            append(UInt8(ascii: "["))
            // Elements are read in place through the array's buffer: copying a `JSONTree` (or a
            // whole member, key and value) out of an array costs retains and releases.
            elements.withUnsafeBufferPointer { elements in
                guard let first = elements.baseAddress else { return }
                for position in 0..<elements.count {
                    if position > 0 { append(UInt8(ascii: ",")) }
                    writeChild(first + position, attachment: attachment)
                }
            }
            append(UInt8(ascii: "]"))
        case .object(let object):
            append(UInt8(ascii: "{"))
            object.entries.withUnsafeBufferPointer { members in
                guard let first = members.baseAddress else { return }
                for position in 0..<members.count {
                    if position > 0 { append(UInt8(ascii: ",")) }
                    writeString(first[position].key)
                    append(UInt8(ascii: ":"))
                    writeChild(first + position, attachment: attachment)
                }
            }
            append(UInt8(ascii: "}"))
        case .attachment(let value): attachment(value, &self)
        }
    }

    /// Writes an array element or member value in place: leaves are matched where they lie, so
    /// only containers (and attachments) are copied out for the recursive call.
    @inlinable @inline(__always)
    mutating func writeChild<Attachment>(
        _ child: UnsafePointer<JSONTree<Attachment>>, attachment: (Attachment, inout JSONWriter) -> Void
    ) {
        switch child.pointee {
        case .string(let string): writeString(string)
        case .number(let number): writeNumber(number)
        case .bool(let flag): append(flag ? "true" : "false")
        case .null: append("null")
        case .array, .object, .attachment: write(child.pointee, attachment: attachment)
        }
    }

    /// Writes a member's value in place, as the element overload does.
    @inlinable @inline(__always)
    mutating func writeChild<Attachment>(
        _ member: UnsafePointer<JSONObject<JSONTree<Attachment>>.Element>,
        attachment: (Attachment, inout JSONWriter) -> Void
    ) {
        switch member.pointee.value {
        case .string(let string): writeString(string)
        case .number(let number): writeNumber(number)
        case .bool(let flag): append(flag ? "true" : "false")
        case .null: append("null")
        case .array, .object, .attachment: write(member.pointee.value, attachment: attachment)
        }
    }

    /// Writes `string` as a JSON string literal.
    @inlinable
    public mutating func writeString(_ string: String) {
        append(UInt8(ascii: "\""))
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            var runStart = 0
            for position in 0..<utf8.count {
                let byte = utf8[position]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
                writeEscaped(byte)
                runStart = position + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        if done == nil {
            for byte in string.utf8 {
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    writeEscaped(byte)
                } else {
                    append(byte)
                }
            }
        }
        append(UInt8(ascii: "\""))
    }

    /// Writes the escape of `"`, `\` or a control character, as `JSON.stringify` does.
    @inlinable
    mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case 0x08: append(#"\b"#)
        case 0x0C: append(#"\f"#)
        case 0x0A: append(#"\n"#)
        case 0x0D: append(#"\r"#)
        case 0x09: append(#"\t"#)
        case 0..<0x20:
            append(#"\u00"#)
            append(JavaScriptNumber.hexDigit(byte >> 4))
            append(JavaScriptNumber.hexDigit(byte & 0xF))
        default:
            append(UInt8(ascii: "\\"))
            append(byte)
        }
    }

    /// Writes a number as `JSON.stringify` does (`null` when not finite).
    @inlinable
    public mutating func writeNumber(_ number: Double) {
        guard number.isFinite else { return append("null") }
        JavaScriptNumber.write(number, into: &bytes)
    }

    /// Writes an integer in decimal.
    @inlinable
    public mutating func writeInteger(_ value: some BinaryInteger) {
        JavaScriptNumber.writeInteger(value, into: &bytes)
    }
}
