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
    /// The session is over: cancel its timer, forget its sid, report the reason upward.
    case closed(EngineIOCloseReason)
}
