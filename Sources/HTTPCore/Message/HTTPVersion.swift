/// An HTTP protocol version such as 1.1.
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    /// The major version (1 for HTTP/1.x).
    public var major: Int
    /// The minor version (0 or 1 for HTTP/1.x).
    public var minor: Int

    /// The version `major.minor`.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0: connections close after each response unless `Connection: keep-alive` is sent.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1: persistent connections unless `Connection: close` is sent.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// `HTTP/<major>.<minor>`, as written on the request and status lines.
    public var description: String { "HTTP/\(major).\(minor)" }
}
