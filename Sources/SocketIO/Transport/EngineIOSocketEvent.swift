/// What a live Engine.IO session reports upward, in order, on `EngineIOSocket.events`.
public enum EngineIOSocketEvent: Sendable, Hashable {
    /// The client sent a message (the data of a `4` packet).
    case message(EngineIOData)
    /// The session is over; nothing follows.
    case closed(EngineIOCloseReason)
}
