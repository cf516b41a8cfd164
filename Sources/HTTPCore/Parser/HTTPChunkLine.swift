#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One `chunk-size [chunk-ext] CRLF` line of a chunked body (RFC 9112 §7.1). Extensions are
/// validated and ignored.
enum HTTPChunkLine {
    case needMoreBytes(searched: Int)
    case size(Int, lineLength: Int)
    case failed(HTTPParseError)

    /// Scans the line at the start of `raw`; the LF search resumes at `searchFrom`.
    static func scan(_ raw: UnsafeRawBufferPointer, searchFrom: Int) -> HTTPChunkLine {
        guard let start = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .needMoreBytes(searched: 0) }
        let limit = min(raw.count, HTTPRequestParser.maxChunkLineLength)
        guard searchFrom < limit, let found = memchr(start + searchFrom, Int32(HTTPByteClass.lf), limit - searchFrom) else {
            if raw.count >= HTTPRequestParser.maxChunkLineLength { return .failed(.badRequest("chunk line too long")) }
            return .needMoreBytes(searched: raw.count)
        }
        let lf = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - start
        guard lf > 0, start[lf - 1] == HTTPByteClass.cr else { return .failed(.badRequest("chunk line not terminated by CRLF")) }
        let end = lf - 1
        var index = 0
        var size = 0
        while index < end, let digit = HTTPByteClass.hexValue(start[index]) {
            guard size <= (Int.max - digit) >> 4 else { return .failed(.badRequest("chunk size too large")) }
            size = size << 4 | digit
            index += 1
        }
        guard index > 0 else { return .failed(.badRequest("invalid chunk size")) }
        guard isValidExtension(start, index, end) else { return .failed(.badRequest("invalid chunk extension")) }
        return .size(size, lineLength: lf + 1)
    }

    /// chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-value ] ), checked loosely: after
    /// optional whitespace it must start with ";" and hold no control characters.
    private static func isValidExtension(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end && HTTPByteClass.isWhitespace(bytes[index]) { index += 1 }
        if index == end { return index == start }
        guard bytes[index] == UInt8(ascii: ";") else { return false }
        while index < end {
            guard HTTPByteClass.isFieldValue(bytes[index]) else { return false }
            index += 1
        }
        return true
    }
}
