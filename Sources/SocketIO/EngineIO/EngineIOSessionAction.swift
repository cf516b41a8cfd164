import NIOCore

/// What the I/O shell must do after an `EngineIOSession` event, in order.
public enum EngineIOSessionAction: Hashable, Sendable {
    /// Complete the pending polling GET with 200 and these packets
    /// (`EngineIOPayload.encode`, `Content-Type: text/plain; charset=UTF-8`).
    case answerPoll([EngineIOPacket])
    /// Complete the POST being handled with 200 and the body `ok`.
    case acknowledgePost
    /// Refuse the request being handled (a GET, POST or WebSocket handshake) with
    /// `error.statusCode` and `error.json`. Other actions may follow (e.g. closing the session).
    case refuseRequest(EngineIOHTTPError)
    /// Refuse the POST being handled with 413 Payload Too Large.
    case refusePayloadTooLarge
    /// Send these messages on the session's WebSocket.
    case sendFrames([EngineIOFrame])
    /// Send these messages on the WebSocket probing an upgrade.
    case sendProbeFrames([EngineIOFrame])
    /// Complete the WebSocket handshake being handled, then close that new WebSocket as soon as
    /// it opens; the session and its transports are untouched (engine.io's answer to a WebSocket
    /// naming a session that is upgrading, upgraded or closing).
    case closeNewWebSocket
    /// Close the probing WebSocket; the session stays on polling.
    case closeProbe
    /// The probing WebSocket is now the session's transport.
    case upgraded
    /// Close the session's WebSocket.
    case closeWebSocket
    /// Hand this message (the data of a `4` packet) to the Socket.IO layer.
    case deliver(EngineIOData)
    /// Arm the session's single timer for this deadline (replacing any earlier one) and call
    /// `handleTimer(now:)` when it fires.
    case scheduleTimer(NIODeadline)
    /// The session is over: cancel its timer, forget its sid (unless `lingerForFinalPoll` came
    /// just before), report the reason upward.
    case closed(EngineIOCloseReason)
    /// Comes just before `closed` when the client closed over polling with no GET held: a GET it
    /// sent before its close may still arrive. Keep the sid until `forget` (a `scheduleTimer` for
    /// the deadline follows `closed`), and hand a GET for it to `handlePoll`, which answers it `6`.
    case lingerForFinalPoll(until: NIODeadline)
    /// Forget the sid of a session that lingered after its close.
    case forget
}
