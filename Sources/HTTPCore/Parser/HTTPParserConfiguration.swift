/// Limits the request parser enforces; each maps to the status the server answers with.
public struct HTTPParserConfiguration: Sendable {
    /// Longest request line in bytes, CRLF excluded (default 8 KiB). Longer → 414 URI Too Long.
    public var maxRequestLineLength: Int
    /// Largest header section (all field lines after the request line, or the trailer section)
    /// in bytes (default 32 KiB). Larger → 431 Request Header Fields Too Large.
    public var maxHeaderSectionSize: Int
    /// Most header fields in one head or trailer section (default 100). More → 431.
    public var maxHeaderCount: Int
    /// Largest request body in bytes after chunked decoding (default 1 MiB). Larger → 413 Content Too Large.
    public var maxBodySize: Int

    /// Creates a configuration; every limit has the documented default.
    public init(
        maxRequestLineLength: Int = 8 * 1024,
        maxHeaderSectionSize: Int = 32 * 1024,
        maxHeaderCount: Int = 100,
        maxBodySize: Int = 1024 * 1024
    ) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeaderSectionSize = maxHeaderSectionSize
        self.maxHeaderCount = maxHeaderCount
        self.maxBodySize = maxBodySize
    }
}
