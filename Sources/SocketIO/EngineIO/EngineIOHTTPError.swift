import JavaScriptFormats

/// An Engine.IO request error: the HTTP status and the `{"code":N,"message":"…"}` body the
/// reference server answers with.
public struct EngineIOHTTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Engine.IO's numeric error code.
    public let code: Int
    /// Engine.IO's message for the code.
    public let message: String

    private init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// `0`: the `transport` query parameter is missing or unknown.
    public static let unknownTransport = EngineIOHTTPError(code: 0, message: "Transport unknown")
    /// `1`: the `sid` is not a live session.
    public static let unknownSession = EngineIOHTTPError(code: 1, message: "Session ID unknown")
    /// `2`: a handshake with a method other than GET.
    public static let badHandshakeMethod = EngineIOHTTPError(code: 2, message: "Bad handshake method")
    /// `3`: a request that breaks the session's rules (duplicate poll, wrong transport, …).
    public static let badRequest = EngineIOHTTPError(code: 3, message: "Bad request")
    /// `4`: refused by the application (for example by `allowRequest`).
    public static let forbidden = EngineIOHTTPError(code: 4, message: "Forbidden")
    /// `4` with the application's own message (engine.io's `allowRequest` callback message).
    public static func forbidden(message: String) -> EngineIOHTTPError { EngineIOHTTPError(code: 4, message: message) }
    /// `5`: `EIO` missing or not `4`.
    public static let unsupportedProtocolVersion = EngineIOHTTPError(code: 5, message: "Unsupported protocol version")

    /// The HTTP status: 403 for `forbidden`, 400 otherwise.
    public var statusCode: Int { code == 4 ? 403 : 400 }

    /// The JSON body.
    public var json: String {
        var writer = JSONWriter(capacity: 48)
        writer.append(#"{"code":"#)
        writer.writeInteger(Int64(code))
        writer.append(#","message":"#)
        writer.writeString(message)
        writer.append(UInt8(ascii: "}"))
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The code and message.
    public var description: String { "Engine.IO error \(code): \(message)" }
}
