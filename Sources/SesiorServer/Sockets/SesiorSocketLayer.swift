import HTTPCore

/// Where the real-time layer (Socket.IO) plugs into the SESIOR app. The app is complete without
/// it (REST only); when given, it mounts its endpoint and hears about REST session changes so it
/// can act on the sockets of that session.
protocol SesiorSocketLayer: Sendable {
    /// Adds the socket endpoint (e.g. `/socket.io/`) to `app`. Called after the CORS and request
    /// log middleware and before the session middleware, so the handshake loads the session itself
    /// (`services.lifecycle.loadExisting`) and can refuse with `Not authorized`; `services` also
    /// gives the user registry (`services.claim` for `user:rename`), the CORS allow-list for the
    /// handshake's `Origin` check, and the instance id.
    func mount(on app: inout App, services: SesiorServices)

    /// `POST /register` moved the user from session `previousSessionID` (regenerated away, no longer
    /// valid) to `sessionID` under `userName`.
    func sessionRegistered(previousSessionID: String, sessionID: String, userName: String) async

    /// `POST /logout` destroyed session `sessionID`: disconnect its sockets and, when it had a user,
    /// broadcast `user:left` with `userName` to every instance.
    func sessionLoggedOut(sessionID: String, userName: String?) async
}
