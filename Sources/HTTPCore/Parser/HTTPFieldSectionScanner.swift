#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Scans a request head (request line and field lines) or a trailer section line by line as bytes
/// arrive, validating each line once (RFC 9112 §2–§5).
///
/// Offsets are relative to the reader index of the parser's buffer, which does not move while a
/// section is being scanned; a line is only examined once its LF has arrived, and the LF search
/// resumes where it stopped, so byte-at-a-time input costs linear time.
struct HTTPFieldSectionScanner: Sendable {
    enum Outcome {
        case needMoreBytes
        /// The section (and its terminating empty line) spans `length` bytes from the reader index.
        case complete(length: Int)
        case failed(HTTPParseError)
    }

    /// Whether the next complete line is the request line (false for trailer sections).
    private(set) var expectsRequestLine: Bool
    private var lineStart = 0
    private var searchFrom = 0
    private var sectionStart = 0

    private(set) var method = HTTPMethod.get
    /// The request target; `takeTarget()` hands it over once the head is complete.
    private(set) var target = ""
    private(set) var version = HTTPVersion.http1_1
    /// The fields of the section once it is complete. While a section is scanned, its first
    /// `fieldCount` entries are this section's and any after them are left from the previous one,
    /// overwritten in place instead of being removed and appended again.
    private(set) var fields: [HTTPHeaders.Field] = []
    private var fieldCount = 0
    /// How many `Host` fields the section had.
    private(set) var hostCount = 0
    /// The agreed value of every `Content-Length` field, if any.
    private(set) var contentLength: Int?
    private(set) var hasTransferEncoding = false

    init(expectsRequestLine: Bool) {
        self.expectsRequestLine = expectsRequestLine
    }

    /// Starts a new section. The field array keeps its entries and capacity, and is overwritten in
    /// place when no `HTTPHeaders` still shares it (the previous head was dropped), so steady-state
    /// parsing allocates no field storage. `method` and `version` are left as they are: a head's
    /// request line sets both before the head can complete.
    mutating func reset(expectsRequestLine: Bool) {
        self.expectsRequestLine = expectsRequestLine
        lineStart = 0
        searchFrom = 0
        sectionStart = 0
        fieldCount = 0
        hostCount = 0
        contentLength = nil
        hasTransferEncoding = false
    }

    /// Returns the request target and leaves an empty one, so that the head gets the only reference
    /// (a move: no retain now and no release when the next request line replaces it).
    mutating func takeTarget() -> String {
        var taken = ""
        swap(&taken, &target)
        return taken
    }

    /// Scans the complete lines of `raw` (the parser's readable bytes) not examined yet.
    mutating func scan(_ raw: UnsafeRawBufferPointer, configuration: HTTPParserConfiguration) -> Outcome {
        guard let start = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .needMoreBytes }
        return withUnsafeTemporaryAllocation(of: HTTPHeaders.Field.self, capacity: PendingFields.capacity) { buffer in
            var pending = PendingFields(storage: buffer.baseAddress!)
            let outcome = scanLines(start, raw.count, configuration: configuration, pending: &pending)
            flush(&pending)
            if case .complete = outcome, fields.count != fieldCount {
                fields.removeSubrange(fieldCount...)
            }
            return outcome
        }
    }

    /// Fields found by one `scan` call, kept in stack memory and appended to `fields` in one step:
    /// a field line then costs a few stores instead of an array append with its uniqueness check.
    struct PendingFields {
        static let capacity = 16
        let storage: UnsafeMutablePointer<HTTPHeaders.Field>
        var count = 0
    }

    @inline(__always)
    private mutating func record(_ field: HTTPHeaders.Field, _ pending: inout PendingFields) {
        if pending.count == PendingFields.capacity { flush(&pending) }
        (pending.storage + pending.count).initialize(to: field)
        pending.count &+= 1
    }

    /// Stores the pending fields after the first `fieldCount` entries of `fields`, in order: over
    /// entries left from the previous section where there are some, appended after them.
    private mutating func flush(_ pending: inout PendingFields) {
        let count = pending.count
        guard count > 0 else { return }
        let overwritten = min(count, fields.count &- fieldCount)
        if overwritten > 0 {
            let first = fieldCount
            fields.withUnsafeMutableBufferPointer { entries in
                (entries.baseAddress! + first).update(from: pending.storage, count: overwritten)
            }
        }
        if overwritten < count {
            if fields.isEmpty { fields.reserveCapacity(16) }
            fields.append(contentsOf: UnsafeBufferPointer(start: pending.storage + overwritten, count: count &- overwritten))
        }
        fieldCount &+= count
        pending.count = 0
    }

    /// The line-by-line loop of `scan`; field lines go to `pending`.
    @inline(__always)
    private mutating func scanLines(
        _ start: UnsafePointer<UInt8>, _ end: Int, configuration: HTTPParserConfiguration, pending: inout PendingFields
    ) -> Outcome {
        while true {
            if !expectsRequestLine && searchFrom == lineStart {
                // Field lines in a tight loop; the line-by-line path below takes the line it stops at.
                var position = lineStart
                while let next = scanCompleteFieldLine(
                    start, end, lineStart: position, configuration: configuration, pending: &pending)
                {
                    position = next
                }
                lineStart = position
                searchFrom = position
            }
            guard let found = memchr(start + searchFrom, Int32(HTTPByteClass.lf), end - searchFrom) else {
                searchFrom = end
                if expectsRequestLine {
                    if end - lineStart > configuration.maxRequestLineLength + 1 { return .failed(.requestLineTooLong) }
                } else if end - sectionStart > configuration.maxHeaderSectionSize {
                    return .failed(.headerSectionTooLarge)
                }
                return .needMoreBytes
            }
            let lf = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - start
            // The limits first, with the bounds the branch above uses before the LF arrives: a
            // line over a limit fails the same way whether its end came in the same read or later
            // (HTTPParserFuzz found a bare-LF line over the limit answered 400 whole, 414 in pieces).
            if expectsRequestLine {
                if lf - lineStart > configuration.maxRequestLineLength + 1 { return .failed(.requestLineTooLong) }
            } else if lf - sectionStart > configuration.maxHeaderSectionSize {
                return .failed(.headerSectionTooLarge)
            }
            guard lf > lineStart, start[lf - 1] == HTTPByteClass.cr else {
                return .failed(.badRequest("line not terminated by CRLF"))
            }
            let contentEnd = lf - 1
            let next = lf + 1
            if expectsRequestLine {
                if contentEnd == lineStart {
                    // RFC 9112 §2.2: ignore empty lines before the request line, within limits.
                    if next > configuration.maxRequestLineLength { return .failed(.badRequest("too many empty lines")) }
                } else {
                    if contentEnd - lineStart > configuration.maxRequestLineLength { return .failed(.requestLineTooLong) }
                    if let error = parseRequestLine(start, lineStart, contentEnd) { return .failed(error) }
                    expectsRequestLine = false
                    sectionStart = next
                }
            } else {
                if next - sectionStart > configuration.maxHeaderSectionSize { return .failed(.headerSectionTooLarge) }
                if contentEnd == lineStart { return .complete(length: next) }
                if fieldCount &+ pending.count >= configuration.maxHeaderCount { return .failed(.tooManyHeaders) }
                if let error = parseFieldLine(start, lineStart, contentEnd, pending: &pending) { return .failed(error) }
            }
            lineStart = next
            searchFrom = next
        }
    }

    /// The fast path for the common case: a valid field line starting at `lineStart` whose CRLF has
    /// arrived, scanned in one pass. Returns the next line's start, or nil to let the line-by-line
    /// path handle (and if need be refuse) it, so both paths give the same result.
    @inline(__always)
    private mutating func scanCompleteFieldLine(
        _ bytes: UnsafePointer<UInt8>, _ end: Int, lineStart: Int, configuration: HTTPParserConfiguration,
        pending: inout PendingFields
    ) -> Int? {
        let nameEnd = HTTPByteClass.tokenEnd(bytes, from: lineStart, to: end)
        guard nameEnd > lineStart, nameEnd < end, bytes[nameEnd] == UInt8(ascii: ":") else { return nil }
        var valueStart = nameEnd &+ 1
        while valueStart < end && HTTPByteClass.isWhitespace(bytes[valueStart]) { valueStart &+= 1 }
        let stop = HTTPByteClass.firstInvalidFieldValueByte(bytes, from: valueStart, to: end)
        guard stop &+ 1 < end, bytes[stop] == HTTPByteClass.cr, bytes[stop &+ 1] == HTTPByteClass.lf,
            stop &+ 2 &- sectionStart <= configuration.maxHeaderSectionSize,
            fieldCount &+ pending.count < configuration.maxHeaderCount
        else { return nil }
        var valueEnd = stop
        while valueEnd > valueStart && HTTPByteClass.isWhitespace(bytes[valueEnd &- 1]) { valueEnd &-= 1 }
        let nameLength = nameEnd &- lineStart
        guard noteFramingField(bytes, name: lineStart, nameLength: nameLength, value: valueStart, valueEnd: valueEnd) == nil
        else { return nil }
        record(
            HTTPHeaders.Field(nameStart: lineStart, nameLength: nameLength, valueStart: valueStart, valueLength: valueEnd &- valueStart),
            &pending)
        return stop &+ 2
    }

    /// request-line = method SP request-target SP HTTP-version
    private mutating func parseRequestLine(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> HTTPParseError? {
        var index = start
        if end &- start > 4 && HTTPByteClass.loadWord32(bytes + start) == Self.getAndSpace {
            // The most common method, compared as one word instead of scanned byte by byte.
            method = .get
            index = start &+ 3
        } else {
            while index < end && HTTPByteClass.isToken(bytes[index]) { index &+= 1 }
            guard index > start, index < end, bytes[index] == HTTPByteClass.space else {
                return .badRequest("invalid method")
            }
            method = Self.method(bytes + start, index - start)
        }
        index += 1
        let targetStart = index
        index = HTTPByteClass.firstNonTargetByte(bytes, from: index, to: end)
        guard index > targetStart, index < end, bytes[index] == HTTPByteClass.space else {
            return .badRequest("invalid request target")
        }
        let targetBytes = UnsafeBufferPointer(start: bytes + targetStart, count: index - targetStart)
        guard Self.isAcceptableTarget(targetBytes, method: method) else { return .badRequest("invalid request target") }
        target = String(decoding: targetBytes, as: UTF8.self)
        index += 1
        let versionBytes = bytes + index
        if end - index == 8 && HTTPByteClass.loadWord64(versionBytes) == Self.http11 {
            version = .http1_1
            return nil
        }
        guard end - index == 8, HTTPByteClass.equals(versionBytes, 5, "HTTP/"), versionBytes[6] == UInt8(ascii: "."),
            let major = Self.digit(versionBytes[5]), let minor = Self.digit(versionBytes[7])
        else { return .badRequest("invalid HTTP version") }
        guard major == 1 else { return .versionNotSupported }
        version = minor == 1 ? .http1_1 : minor == 0 ? .http1_0 : HTTPVersion(major: major, minor: minor)
        return nil
    }

    /// `GET ` and `HTTP/1.1` as little-endian words, for one-compare checks of the usual request line.
    private static let getAndSpace: UInt32 = 0x2054_4547
    private static let http11: UInt64 = 0x312E_312F_5054_5448

    /// field-line = field-name ":" OWS field-value OWS
    private mutating func parseFieldLine(
        _ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, pending: inout PendingFields
    ) -> HTTPParseError? {
        guard let colonPointer = memchr(bytes + start, Int32(UInt8(ascii: ":")), end - start) else {
            return Self.fieldNameError(bytes, start, end)
        }
        var index = UnsafePointer(colonPointer.assumingMemoryBound(to: UInt8.self)) - bytes
        guard index > start, !HTTPByteClass.containsNonToken(bytes, from: start, to: index) else {
            return Self.fieldNameError(bytes, start, end)
        }
        let nameLength = index - start
        index += 1
        while index < end && HTTPByteClass.isWhitespace(bytes[index]) { index += 1 }
        var valueEnd = end
        while valueEnd > index && HTTPByteClass.isWhitespace(bytes[valueEnd - 1]) { valueEnd -= 1 }
        let valueStart = index
        index = HTTPByteClass.firstInvalidFieldValueByte(bytes, from: index, to: valueEnd)
        if index < valueEnd {
            return bytes[index] == HTTPByteClass.cr
                ? .badRequest("bare CR in field value") : .badRequest("invalid character in field value")
        }
        record(
            HTTPHeaders.Field(nameStart: start, nameLength: nameLength, valueStart: valueStart, valueLength: valueEnd - valueStart),
            &pending)
        return noteFramingField(bytes, name: start, nameLength: nameLength, value: valueStart, valueEnd: valueEnd)
    }

    /// Why the field line at `start..<end` has no valid `field-name ":"` prefix.
    private static func fieldNameError(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> HTTPParseError {
        if HTTPByteClass.isWhitespace(bytes[start]) { return .badRequest("obsolete line folding") }
        var index = start
        while index < end && HTTPByteClass.isToken(bytes[index]) { index += 1 }
        if index == end { return .badRequest("missing colon in field line") }
        if HTTPByteClass.isWhitespace(bytes[index]) { return .badRequest("whitespace before colon in field line") }
        if index == start && bytes[index] == UInt8(ascii: ":") { return .badRequest("empty field name") }
        return .badRequest("invalid character in field name")
    }

    /// Records `Host` (and checks its value), `Content-Length` and `Transfer-Encoding`, which decide
    /// framing and validity.
    private mutating func noteFramingField(
        _ bytes: UnsafePointer<UInt8>, name: Int, nameLength: Int, value: Int, valueEnd: Int
    ) -> HTTPParseError? {
        switch nameLength {
        case 4:
            guard HTTPByteClass.equalsIgnoringCase(bytes + name, 4, "host") else { return nil }
            hostCount += 1
            guard HTTPHostField.isValid(bytes, from: value, to: valueEnd) else { return .badRequest("invalid Host field") }
        case 14:
            guard HTTPByteClass.equalsIgnoringCase(bytes + name, 14, "content-length") else { return nil }
            guard let length = Self.contentLength(bytes, value, valueEnd) else {
                return .badRequest("invalid Content-Length")
            }
            if let contentLength, contentLength != length { return .badRequest("conflicting Content-Length fields") }
            contentLength = length
        case 17:
            if HTTPByteClass.equalsIgnoringCase(bytes + name, 17, "transfer-encoding") { hasTransferEncoding = true }
        default:
            break
        }
        return nil
    }

    /// Content-Length = 1*DIGIT, also as a list of identical values ("5, 5"); nil when invalid or overflowing.
    private static func contentLength(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var result: Int?
        var index = start
        while true {
            while index < end && HTTPByteClass.isWhitespace(bytes[index]) { index += 1 }
            var value = 0
            let digitsStart = index
            while index < end, let digit = digit(bytes[index]) {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(digit)
                if overflow1 || overflow2 { return nil }
                value = sum
                index += 1
            }
            guard index > digitsStart, result == nil || result == value else { return nil }
            result = value
            while index < end && HTTPByteClass.isWhitespace(bytes[index]) { index += 1 }
            if index == end { return result }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte &- UInt8(ascii: "0")) : nil
    }

    /// origin-form (`/…`), asterisk-form (`*`), authority-form (CONNECT) or absolute-form (`scheme:…`).
    private static func isAcceptableTarget(_ target: UnsafeBufferPointer<UInt8>, method: HTTPMethod) -> Bool {
        let first = target[0]
        if first == UInt8(ascii: "/") { return true }
        if first == UInt8(ascii: "*") { return target.count == 1 }
        if method == .connect { return true }
        // absolute-form: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) followed by ":"
        guard (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z") else { return false }
        for byte in target.dropFirst() {
            if byte == UInt8(ascii: ":") { return true }
            let lower = byte | 0x20
            let isSchemeChar = (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || digit(byte) != nil
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            if !isSchemeChar { return false }
        }
        return false
    }

    /// The shared `HTTPMethod` for common methods (no allocation), else a new one.
    private static func method(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> HTTPMethod {
        switch length {
        case 3:
            if HTTPByteClass.equals(bytes, 3, "GET") { return .get }
            if HTTPByteClass.equals(bytes, 3, "PUT") { return .put }
        case 4:
            if HTTPByteClass.equals(bytes, 4, "POST") { return .post }
            if HTTPByteClass.equals(bytes, 4, "HEAD") { return .head }
        case 5:
            if HTTPByteClass.equals(bytes, 5, "PATCH") { return .patch }
            if HTTPByteClass.equals(bytes, 5, "TRACE") { return .trace }
        case 6:
            if HTTPByteClass.equals(bytes, 6, "DELETE") { return .delete }
        case 7:
            if HTTPByteClass.equals(bytes, 7, "OPTIONS") { return .options }
            if HTTPByteClass.equals(bytes, 7, "CONNECT") { return .connect }
        default:
            break
        }
        return HTTPMethod(rawValue: String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self))
    }
}
