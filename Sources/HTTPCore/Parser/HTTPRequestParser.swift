import NIOCore

/// An incremental, pull-based HTTP/1.1 request parser (RFC 9112). Pure: no I/O and no clock.
///
/// `feed(_:)` appends received bytes in any split; `next()` returns one part at a time (head, body
/// pieces, end) or nil when it needs more bytes. A server gets backpressure by not calling `next()`,
/// and after an upgrade request's end it takes the remaining bytes with `takeUnconsumedBytes()`.
/// Once `next()` throws, the parser is broken and throws the same error on every later call; the
/// error's `status` is what the server should answer before closing the connection.
public struct HTTPRequestParser: Sendable {
    private enum State: Sendable {
        case head
        /// A Content-Length body (0 for a request without a body); at 0 the next part is `.end`.
        case fixedBody(remaining: Int)
        case chunkHeader
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
    }

    /// The limits this parser enforces.
    public let configuration: HTTPParserConfiguration
    private var buffer = ByteBuffer()
    private var state = State.head
    private var scanner = HTTPFieldSectionScanner(expectsRequestLine: true)
    /// The scanner holds a finished section; it is reset just before the next head is scanned, by
    /// when the previous head has usually been dropped and its field array can be reused.
    private var scannerIsFinished = false
    private var chunkLineSearchFrom = 0
    private var chunkedBodySize = 0
    private var failure: HTTPParseError?

    /// Longest chunk-size line (size, extensions and CRLF) accepted, in bytes.
    static let maxChunkLineLength = 4096

    /// Creates a parser that enforces `configuration`'s limits.
    public init(configuration: HTTPParserConfiguration = .init()) {
        self.configuration = configuration
    }

    /// Appends received bytes; nothing is parsed until `next()` is called.
    public mutating func feed(_ bytes: ByteBuffer) {
        if buffer.readableBytes == 0 {
            buffer = bytes
            return
        }
        if buffer.writableBytes < bytes.readableBytes && buffer.readerIndex > 0 {
            buffer.discardReadBytes()
        }
        buffer.writeImmutableBuffer(bytes)
    }

    /// Returns the next part of the current request, or nil when more bytes are needed.
    /// After an error every call throws that error again.
    public mutating func next() throws(HTTPParseError) -> HTTPRequestPart? {
        if let failure { throw failure }
        do {
            return try step()
        } catch {
            failure = error
            throw error
        }
    }

    /// How many bytes were fed but not parsed yet (e.g. pipelined requests behind the current one).
    public var bufferedByteCount: Int { buffer.readableBytes }

    /// Removes and returns every byte fed but not parsed yet, e.g. the first bytes of the new protocol
    /// after an upgrade request's `.end`. A request head being scanned restarts from the next fed byte.
    public mutating func takeUnconsumedBytes() -> ByteBuffer {
        let bytes = buffer
        buffer = ByteBuffer()
        chunkLineSearchFrom = 0
        switch state {
        case .head:
            scanner.reset(expectsRequestLine: true)
            scannerIsFinished = false
        case .trailers: scanner.reset(expectsRequestLine: false)
        default: break
        }
        return bytes
    }

    // Inlined into `next()` (and `parseHead()` into this) so the part is built in place instead of
    // being copied out through each call.
    @inline(__always)
    private mutating func step() throws(HTTPParseError) -> HTTPRequestPart? {
        while true {
            switch state {
            case .head:
                return try parseHead()
            case .fixedBody(let remaining):
                if remaining == 0 {
                    state = .head
                    return .end(trailers: nil)
                }
                guard let piece = readBodyPiece(upTo: remaining) else { return nil }
                state = .fixedBody(remaining: remaining - piece.readableBytes)
                return .body(piece)
            case .chunkHeader:
                guard try parseChunkHeader() else { return nil }
            case .chunkData(let remaining):
                guard let piece = readBodyPiece(upTo: remaining) else { return nil }
                let left = remaining - piece.readableBytes
                state = left == 0 ? .chunkDataEnd : .chunkData(remaining: left)
                return .body(piece)
            case .chunkDataEnd:
                guard try consumeChunkDataEnd() else { return nil }
            case .trailers:
                return try parseTrailers()
            }
        }
    }

    private mutating func readBodyPiece(upTo remaining: Int) -> ByteBuffer? {
        let available = buffer.readableBytes
        guard available > 0 else { return nil }
        return buffer.readSlice(length: min(available, remaining))
    }

    @inline(__always)
    private mutating func parseHead() throws(HTTPParseError) -> HTTPRequestPart? {
        if scannerIsFinished {
            scanner.reset(expectsRequestLine: true)
            scannerIsFinished = false
        }
        // Nothing of the head has arrived (the reader index stays put while a head is scanned, so
        // the scanner is at its start): scanning would find nothing, skip the buffer access.
        guard buffer.readableBytes > 0 else { return nil }
        switch Self.scan(buffer, with: &scanner, configuration: configuration) {
        case .needMoreBytes:
            return nil
        case .failed(let error):
            throw error
        case .complete(let length):
            let headers = HTTPHeaders(storage: takeSection(length: length), fields: scanner.fields)
            switch try HTTPBodyFraming(
                version: scanner.version, hostCount: scanner.hostCount, contentLength: scanner.contentLength,
                transferEncoding: scanner.hasTransferEncoding ? headers : nil, configuration: configuration)
            {
            case .length(let length): state = .fixedBody(remaining: length)
            case .chunked: state = .chunkHeader
            }
            chunkedBodySize = 0
            let method = scanner.method
            let target = scanner.takeTarget()
            let version = scanner.version
            scannerIsFinished = true
            return .head(HTTPRequestHead(method: method, target: target, version: version, headers: headers))
        }
    }

    private mutating func parseTrailers() throws(HTTPParseError) -> HTTPRequestPart? {
        switch Self.scan(buffer, with: &scanner, configuration: configuration) {
        case .needMoreBytes:
            return nil
        case .failed(let error):
            throw error
        case .complete(let length):
            let storage = takeSection(length: length)
            let fields = scanner.fields
            scannerIsFinished = true
            state = .head
            return .end(trailers: fields.isEmpty ? nil : HTTPHeaders(storage: storage, fields: fields))
        }
    }

    /// Removes the first `length` readable bytes (a scanned section) and returns them, offsets
    /// counted from the returned buffer's reader index as the scanner's fields expect. When they are
    /// all the readable bytes (the usual case: one head per read), the buffer is shared as it is,
    /// which costs less than a slice.
    @inline(__always)
    private mutating func takeSection(length: Int) -> ByteBuffer {
        guard length == buffer.readableBytes else { return buffer.readSlice(length: length)! }
        let section = buffer
        buffer.moveReaderIndex(forwardBy: length)
        return section
    }

    /// Runs `scanner` over the readable bytes of `buffer`. Taking the buffer and the scanner as
    /// separate arguments (two stored properties, accessed side by side) spares the copy of the
    /// buffer, and its retain and release, that a closure capturing `self` would need.
    private static func scan(
        _ buffer: ByteBuffer, with scanner: inout HTTPFieldSectionScanner, configuration: HTTPParserConfiguration
    ) -> HTTPFieldSectionScanner.Outcome {
        buffer.withUnsafeReadableBytes { scanner.scan($0, configuration: configuration) }
    }

    /// Parses `chunk-size [chunk-ext] CRLF`; false when the line is not complete yet.
    private mutating func parseChunkHeader() throws(HTTPParseError) -> Bool {
        let searchFrom = chunkLineSearchFrom
        let line = buffer.withUnsafeReadableBytes { HTTPChunkLine.scan($0, searchFrom: searchFrom) }
        switch line {
        case .needMoreBytes(let searched):
            chunkLineSearchFrom = searched
            return false
        case .failed(let error):
            throw error
        case .size(let size, let lineLength):
            buffer.moveReaderIndex(forwardBy: lineLength)
            chunkLineSearchFrom = 0
            if size == 0 {
                scanner.reset(expectsRequestLine: false)
                state = .trailers
                return true
            }
            chunkedBodySize += size
            guard chunkedBodySize <= configuration.maxBodySize else { throw .bodyTooLarge }
            state = .chunkData(remaining: size)
            return true
        }
    }

    /// Consumes the CRLF after a chunk's data; false when it has not arrived yet.
    private mutating func consumeChunkDataEnd() throws(HTTPParseError) -> Bool {
        let available = buffer.readableBytes
        guard available > 0 else { return false }
        guard buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == HTTPByteClass.cr else {
            throw .badRequest("missing CRLF after chunk data")
        }
        guard available >= 2 else { return false }
        guard buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) == HTTPByteClass.lf else {
            throw .badRequest("missing CRLF after chunk data")
        }
        buffer.moveReaderIndex(forwardBy: 2)
        state = .chunkHeader
        return true
    }
}
