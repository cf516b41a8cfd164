import NIOCore

/// Writes HTTP/1.1 responses into byte buffers: status line, header section with the framing
/// headers it decides itself (`Content-Length` or `Transfer-Encoding: chunked`, `Connection`,
/// `Date`), and chunk framing. Pure: no I/O; the `Date` clock is injected through `HTTPDateCache`.
///
/// Rules applied to `writeHead`:
/// - `.bytes` bodies get `Content-Length`; `.stream` bodies get `Transfer-Encoding: chunked`, or
///   keep a `Content-Length` the response sets itself (then the raw bytes follow), or, for an
///   HTTP/1.0 client, no framing header and the connection closes after the body.
/// - HEAD responses carry the headers a GET would have but no body; 1xx and 204 responses carry no
///   framing headers; 304 responses keep a `Content-Length` set by the response and get none added.
/// - Keep-alive: HTTP/1.1 says `Connection: close` when closing; HTTP/1.0 says
///   `Connection: keep-alive` when staying open. A `Connection: close` set by the response wins.
///   101 responses keep their own `Connection`/`Upgrade` headers.
/// - `Content-Length`, `Transfer-Encoding` and `Connection` fields of the response are replaced by
///   the serializer's own; fields whose name or value contain CR, LF or NUL are dropped.
public struct HTTPResponseSerializer: Sendable {
    /// The source of `Date` header values.
    public var dateCache: HTTPDateCache

    /// A serializer taking `Date` values from `dateCache` (by default one on the system clock).
    public init(dateCache: HTTPDateCache = HTTPDateCache()) {
        self.dateCache = dateCache
    }

    /// Writes the head of `response` answering a request described by `context`, and returns how
    /// the body must follow and whether the connection stays open.
    public mutating func writeHead(
        of response: Response,
        for context: HTTPResponseContext,
        into buffer: inout ByteBuffer
    ) -> HTTPResponseHeadResult {
        let status = response.status
        let isHTTP11 = context.requestVersion.major == 1 && context.requestVersion.minor >= 1
        let isSwitching = status.code == 101
        var keepAlive = context.keepAlive
        var hasDate = false
        var ownContentLength: Int?

        Self.writeStatusLine(status, into: &buffer)
        response.headers.forEachRawField { name, value in
            guard ManagedField.isWritable(name: name, value: value) else { return }
            switch ManagedField(name: name) {
            case .contentLength:
                ownContentLength = ManagedField.decimal(value)
                return
            case .transferEncoding:
                return
            case .connection:
                if ManagedField.containsIgnoringCase(value, "close") { keepAlive = false }
                if !isSwitching { return }
            case .date:
                hasDate = true
            case .other:
                break
            }
            buffer.writeBytes(name)
            buffer.writeStaticString(": ")
            buffer.writeBytes(value)
            buffer.writeStaticString("\r\n")
        }

        let (framing, lengthHeader, chunkedHeader) = Self.decideFraming(
            status: status, body: response.body, isHead: context.requestMethod == .head,
            isHTTP11: isHTTP11, ownContentLength: ownContentLength)
        if framing == .untilClose { keepAlive = false }
        if let length = lengthHeader {
            buffer.writeStaticString("Content-Length: ")
            buffer.writeDecimal(length)
            buffer.writeStaticString("\r\n")
        }
        if chunkedHeader {
            buffer.writeStaticString("Transfer-Encoding: chunked\r\n")
        }
        if !isSwitching {
            if !keepAlive {
                buffer.writeStaticString("Connection: close\r\n")
            } else if !isHTTP11 {
                buffer.writeStaticString("Connection: keep-alive\r\n")
            }
        }
        if !hasDate {
            buffer.writeStaticString("Date: ")
            buffer.writeString(dateCache.value())
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        return HTTPResponseHeadResult(framing: framing, keepAlive: isSwitching ? true : keepAlive)
    }

    /// Writes a complete response whose body is `.bytes` (head and body); a `.stream` body is not
    /// written (use `writeHead` and the chunk writers for it).
    public mutating func writeResponse(
        _ response: Response,
        for context: HTTPResponseContext,
        into buffer: inout ByteBuffer
    ) -> HTTPResponseHeadResult {
        let result = writeHead(of: response, for: context, into: &buffer)
        if case .contentLength = result.framing, case .bytes(var body) = response.body {
            buffer.writeBuffer(&body)
        }
        return result
    }

    /// Writes the interim `100 Continue` response.
    public static func writeContinue(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("HTTP/1.1 100 Continue\r\n\r\n")
    }

    /// Writes one chunk of a chunked body; an empty chunk writes nothing (it would end the body).
    public static func writeChunk(_ chunk: ByteBuffer, into buffer: inout ByteBuffer) {
        guard chunk.readableBytes > 0 else { return }
        buffer.writeString(String(chunk.readableBytes, radix: 16))
        buffer.writeStaticString("\r\n")
        var chunk = chunk
        buffer.writeBuffer(&chunk)
        buffer.writeStaticString("\r\n")
    }

    /// Writes the size line of a chunk whose bytes the caller writes separately, followed by CRLF.
    public static func writeChunkHeader(size: Int, into buffer: inout ByteBuffer) {
        buffer.writeString(String(size, radix: 16))
        buffer.writeStaticString("\r\n")
    }

    /// Writes the last chunk that ends a chunked body (no trailers).
    public static func writeLastChunk(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("0\r\n\r\n")
    }

    static func decideFraming(
        status: HTTPResponseStatus, body: ResponseBody, isHead: Bool, isHTTP11: Bool, ownContentLength: Int?
    ) -> (framing: HTTPResponseFraming, lengthHeader: Int?, chunkedHeader: Bool) {
        if status.code < 200 || status.code == 204 { return (.none, nil, false) }
        if status.code == 304 { return (.none, ownContentLength, false) }
        switch body {
        case .bytes(let bytes):
            let length = bytes.readableBytes == 0 && isHead ? (ownContentLength ?? 0) : bytes.readableBytes
            return (isHead ? .none : .contentLength(length), length, false)
        case .stream:
            if let length = ownContentLength, length >= 0 {
                return (isHead ? .none : .contentLength(length), length, false)
            }
            if isHTTP11 { return (isHead ? .none : .chunked, nil, true) }
            return (isHead ? .none : .untilClose, nil, false)
        }
    }

    static func writeStatusLine(_ status: HTTPResponseStatus, into buffer: inout ByteBuffer) {
        if status.code == 200 && status.reasonPhrase == "OK" {
            buffer.writeStaticString("HTTP/1.1 200 OK\r\n")
            return
        }
        buffer.writeStaticString("HTTP/1.1 ")
        let code = min(max(status.code, 100), 999)
        buffer.writeInteger(UInt8(ascii: "0") + UInt8(code / 100))
        buffer.writeInteger(UInt8(ascii: "0") + UInt8(code / 10 % 10))
        buffer.writeInteger(UInt8(ascii: "0") + UInt8(code % 10))
        buffer.writeInteger(UInt8(ascii: " "))
        if Self.isSafe(status.reasonPhrase) { buffer.writeString(status.reasonPhrase) }
        buffer.writeStaticString("\r\n")
    }

    /// Whether `text` holds no CR, LF or NUL (which would split or truncate the response).
    static func isSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }
}

extension ByteBuffer {
    /// Writes a non-negative integer in decimal ASCII.
    @inlinable
    mutating func writeDecimal(_ value: Int) {
        if value >= 0 && value < 10 {
            writeInteger(UInt8(ascii: "0") + UInt8(value))
        } else {
            writeString(String(value))
        }
    }
}
