/// How a request's body is delimited, decided from its head (RFC 9112 §6.1–§6.3), and the
/// head-level checks that go with it (Host, Content-Length vs Transfer-Encoding).
enum HTTPBodyFraming: Equatable {
    /// Exactly this many bytes (0 when the request has no body).
    case length(Int)
    /// Chunked transfer coding.
    case chunked

    /// Transfer codings that are registered but that this server does not decode (→ 501).
    private static let knownCodings: Set<String> = ["gzip", "x-gzip", "deflate", "compress", "x-compress", "identity"]

    /// Decides the framing from the head's framing fields; `transferEncoding` is the head's
    /// headers when it had a `Transfer-Encoding` field, else nil.
    init(
        version: HTTPVersion, hostCount: Int, contentLength: Int?, transferEncoding: HTTPHeaders?,
        configuration: HTTPParserConfiguration
    ) throws(HTTPParseError) {
        if version.minor >= 1 {
            guard hostCount > 0 else { throw .badRequest("missing Host field") }
        }
        guard hostCount <= 1 else { throw .badRequest("duplicate Host field") }
        if let headers = transferEncoding {
            guard contentLength == nil else { throw .badRequest("both Transfer-Encoding and Content-Length") }
            guard version.minor >= 1 else { throw .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            let codings = headers.tokens(for: "transfer-encoding")
            guard let last = codings.last else { throw .badRequest("empty Transfer-Encoding") }
            for coding in codings where coding != "chunked" && !Self.knownCodings.contains(coding) {
                throw .unsupportedTransferCoding
            }
            guard last == "chunked" else { throw .badRequest("final transfer coding is not chunked") }
            let chunkedCount = codings.count { $0 == "chunked" }
            guard chunkedCount == 1 else { throw .badRequest("chunked applied more than once") }
            guard codings.count == 1 else { throw .unsupportedTransferCoding }
            self = .chunked
            return
        }
        let length = contentLength ?? 0
        guard length <= configuration.maxBodySize else { throw .bodyTooLarge }
        self = .length(length)
    }
}
