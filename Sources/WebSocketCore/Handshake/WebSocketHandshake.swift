import HTTPCore
import JavaScriptFormats

/// The outcome of a valid WebSocket opening handshake (RFC 6455 §4.2): what the server agreed
/// to and the headers of its 101 response.
public struct WebSocketHandshake: Sendable {
    /// The `Sec-WebSocket-Accept` value.
    public var acceptValue: String
    /// The selected subprotocol, if any.
    public var subprotocol: String?
    /// The agreed permessage-deflate parameters, if compression is on.
    public var compression: PerMessageDeflateParameters?

    /// The headers of the 101 response.
    public var responseHeaders: HTTPHeaders {
        var headers: HTTPHeaders = ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": acceptValue]
        if let subprotocol { headers.add(name: "Sec-WebSocket-Protocol", value: subprotocol) }
        if let compression { headers.add(name: "Sec-WebSocket-Extensions", value: compression.responseHeaderValue) }
        return headers
    }

    /// Validates an upgrade request. Throws an `HTTPError` to answer instead: 400 for a method
    /// other than GET, HTTP before 1.1, a missing Host, a missing `Upgrade: websocket` or
    /// `Connection: upgrade`, or a `Sec-WebSocket-Key` that is not base64 of 16 bytes; 426 with
    /// `Sec-WebSocket-Version: 13` for any version other than 13; 403 for an origin the policy
    /// refuses.
    public static func validate(
        _ head: HTTPRequestHead, configuration: WebSocketConfiguration
    ) throws(HTTPError) -> WebSocketHandshake {
        guard head.method == .get else { throw HTTPError(.badRequest, reason: "WebSocket handshake must use GET") }
        guard head.version.major > 1 || (head.version.major == 1 && head.version.minor >= 1) else {
            throw HTTPError(.badRequest, reason: "WebSocket handshake needs HTTP/1.1")
        }
        let headers = head.headers
        guard headers.contains("Host") else { throw HTTPError(.badRequest, reason: "missing Host") }
        guard headers.tokens(for: "Upgrade").contains("websocket") else {
            throw HTTPError(.badRequest, reason: "missing Upgrade: websocket")
        }
        guard headers.tokens(for: "Connection").contains("upgrade") else {
            throw HTTPError(.badRequest, reason: "missing Connection: upgrade")
        }
        let versions = headers.values(for: "Sec-WebSocket-Version")
        guard versions.count == 1, versions[0].trimmed == "13" else {
            throw HTTPError(.upgradeRequired, reason: "unsupported WebSocket version", headers: ["Sec-WebSocket-Version": "13"])
        }
        let keys = headers.values(for: "Sec-WebSocket-Key")
        guard keys.count == 1, let decoded = Base64.decode(keys[0].trimmed), decoded.count == 16 else {
            throw HTTPError(.badRequest, reason: "invalid Sec-WebSocket-Key")
        }
        guard configuration.originPolicy.allows(head) else {
            throw HTTPError(.forbidden, reason: "origin not allowed")
        }
        let requested = headers.tokens(for: "Sec-WebSocket-Protocol")
        let subprotocol = requested.first { offered in
            configuration.subprotocols.contains { $0.lowercased() == offered }
        }.flatMap { offered in configuration.subprotocols.first { $0.lowercased() == offered } }
        let compression = configuration.compression.flatMap { settings in
            PerMessageDeflateParameters.negotiate(
                offers: WebSocketExtensionOffer.parse(headers.values(for: "Sec-WebSocket-Extensions")),
                configuration: settings)
        }
        return WebSocketHandshake(acceptValue: webSocketAcceptValue(forKey: keys[0].trimmed),
                                  subprotocol: subprotocol, compression: compression)
    }
}

extension String {
    fileprivate var trimmed: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
