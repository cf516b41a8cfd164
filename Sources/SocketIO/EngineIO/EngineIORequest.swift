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
        let parameters = QueryParameters(query: query)
        (eio, transport, sid) = (parameters["EIO"], parameters["transport"], parameters["sid"])
        (b64, j) = (parameters["b64"], parameters["j"])
    }
}
