import HTTPCore

/// What an HTTP request to the Engine.IO path asks for, decided from its method and query
/// (`EIO=4&transport=polling|websocket[&sid=…]`) before any session is looked up.
///
/// The shell then looks the sid up (`EngineIOHTTPError.unknownSession` if absent) and calls the
/// matching `EngineIOSession` event: `handlePoll`, `beginPost`/`finishPost`, or `beginUpgrade`.
public enum EngineIORequest: Hashable, Sendable {
    /// A new session (GET on polling, or a WebSocket handshake without sid).
    case handshake(EngineIOTransport)
    /// A polling GET for an existing session.
    case poll(sid: String)
    /// A polling POST for an existing session.
    case post(sid: String)
    /// A WebSocket handshake naming an existing (polling) session: an upgrade probe.
    case upgrade(sid: String)

    /// Classifies a request, or returns the error Engine.IO answers it with, checking in the
    /// reference server's order: protocol version (`4`, or `3` with `allowEIO3`), transport,
    /// then method.
    public static func classify(
        method: HTTPMethod,
        query: Substring?,
        isWebSocketUpgrade: Bool,
        allowedTransports: Set<EngineIOTransport> = [.polling, .websocket],
        allowEIO3: Bool = false
    ) -> Result<EngineIORequest, EngineIOHTTPError> {
        let parameters = EngineIOQuery(query ?? "")
        guard parameters.eio == "4" || (allowEIO3 && parameters.eio == "3") else {
            return .failure(.unsupportedProtocolVersion)
        }
        guard let name = parameters.transport, let transport = EngineIOTransport(rawValue: name),
            allowedTransports.contains(transport)
        else { return .failure(.unknownTransport) }
        if transport == .websocket && !isWebSocketUpgrade { return .failure(.badRequest) }
        if transport == .polling && isWebSocketUpgrade { return .failure(.badRequest) }
        guard let sid = parameters.sid else {
            if transport == .polling && method != .get { return .failure(.badHandshakeMethod) }
            return .success(.handshake(transport))
        }
        switch (transport, method) {
        case (.websocket, _): return .success(.upgrade(sid: sid))
        case (.polling, .get): return .success(.poll(sid: sid))
        case (.polling, .post): return .success(.post(sid: sid))
        case (.polling, _): return .failure(.badRequest)
        }
    }
}

/// The query parameters Engine.IO reads, percent-decoded (`b64` and `j` only matter for v3).
struct EngineIOQuery {
    var eio: String?
    var transport: String?
    var sid: String?
    var b64: String?
    var j: String?

    init(_ query: Substring) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? Self.percentDecode(parts[1]) : ""
            switch parts[0] {
            case "EIO": eio = eio ?? value
            case "transport": transport = transport ?? value
            case "sid": sid = sid ?? value
            case "b64": b64 = b64 ?? value
            case "j": j = j ?? value
            default: continue
            }
        }
    }

    static func percentDecode(_ text: Substring) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]),
                let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
