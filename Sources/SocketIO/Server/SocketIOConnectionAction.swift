import JavaScriptFormats
import NIOCore

/// What the shell must do after a `SocketIOConnection` event, in order.
public enum SocketIOConnectionAction: Hashable, Sendable {
    /// Send these Engine.IO packets (through `EngineIOSession.send`).
    case send([EngineIOPacket])
    /// Run the namespace's middleware on this CONNECT (auth payload as sent), then call
    /// `accept(namespace:socketID:now:)` or `refuse(namespace:message:data:)`.
    case authorize(namespace: String, auth: SocketIOValue?)
    /// A socket joined the namespace: add it to the adapter (room = its id), then send `reply` (the
    /// CONNECT answer) as it becomes visible to broadcasts, then fire `connection` — socket.io's
    /// order, so that a broadcast made once the client knows it is connected reaches it.
    case connected(namespace: String, socketID: String, reply: [EngineIOPacket])
    /// The client emitted an event; `ackID` is set when it waits for an answer (`acknowledge`).
    case event(namespace: String, name: String, arguments: [SocketIOValue], ackID: UInt64?)
    /// The client answered one of the server's emits.
    case ackReceived(namespace: String, id: UInt64, arguments: [SocketIOValue])
    /// No answer to the server's emit `id` within its timeout.
    case ackTimedOut(namespace: String, id: UInt64)
    /// A socket left the namespace: remove it from the adapter, fire `disconnect(reason)`.
    case disconnected(namespace: String, socketID: String, reason: SocketIODisconnectReason)
    /// Arm the connection's single timer (replacing any earlier one); call `handleTimer(now:)`.
    case scheduleTimer(NIODeadline)
    /// Close the Engine.IO session (`EngineIOSession.close`).
    case closeEngine
}
