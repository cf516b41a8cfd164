import CZlib

/// The server's permessage-deflate (RFC 7692) settings. Defaults: 32 KiB windows both ways,
/// context takeover allowed both ways, zlib's default level, messages under 16 bytes sent
/// uncompressed.
public struct PerMessageDeflateConfiguration: Sendable, Equatable {
    /// The largest window (8–15 bits) the server compresses with; the client's
    /// `server_max_window_bits` may lower it.
    public var serverMaxWindowBits: Int
    /// The window (8–15 bits) the server asks the client to stay within, when the client offers
    /// `client_max_window_bits`.
    public var clientMaxWindowBits: Int
    /// Reset the server's compressor after each message (less memory, worse ratio).
    public var serverNoContextTakeover: Bool
    /// Ask the client to reset its compressor after each message.
    public var clientNoContextTakeover: Bool
    /// zlib compression level, 0–9 (-1: zlib's default, 6).
    public var compressionLevel: Int32
    /// zlib memory level, 1–9 (default 8).
    public var memoryLevel: Int32
    /// Messages shorter than this many bytes are sent uncompressed.
    public var minimumCompressedMessageSize: Int

    /// Settings with the documented defaults, changed by the arguments given.
    public init(
        serverMaxWindowBits: Int = 15,
        clientMaxWindowBits: Int = 15,
        serverNoContextTakeover: Bool = false,
        clientNoContextTakeover: Bool = false,
        compressionLevel: Int32 = Z_DEFAULT_COMPRESSION,
        memoryLevel: Int32 = 8,
        minimumCompressedMessageSize: Int = 16
    ) {
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.compressionLevel = compressionLevel
        self.memoryLevel = memoryLevel
        self.minimumCompressedMessageSize = minimumCompressedMessageSize
    }
}
