/// The Engine.IO protocol revision a client speaks (the `EIO` query parameter).
///
/// Revision 4 is served always. Revision 3 (the socket.io 2.x clients, carrying Socket.IO
/// protocol 4) only with `EngineIOConfiguration.allowEIO3`; it differs in the heartbeat (the
/// client pings, the server answers), the polling payload framing (`EngineIOPayloadV3`), a type
/// byte before binary WebSocket messages, and JSONP polling.
public enum EngineIOProtocolVersion: Int, Hashable, Sendable {
    /// `EIO=3`: engine.io 3.x / socket.io 2.x clients.
    case v3 = 3
    /// `EIO=4`: engine.io 4+ / socket.io 3+ clients.
    case v4 = 4
}
