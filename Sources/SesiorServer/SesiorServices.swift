import Logging
import SessionKit
import SesiorUsers

/// What the SESIOR routes need, built once per instance from its configuration (or by a test):
/// the session lifecycle, the user registry, the store's health check, and the optional socket layer.
struct SesiorServices: Sendable {
    /// Loads and commits sessions (its store is Redis or memory).
    let lifecycle: SessionLifecycle
    /// Who holds which user name.
    let users: any UserRegistry
    /// Whether the backing store answers (`GET /health`).
    let health: StoreHealth
    /// The Socket.IO layer, when one is plugged in.
    let sockets: (any SesiorSocketLayer)?
    /// Origins allowed to call the API with credentials (the socket handshake checks `Origin`
    /// against the same list).
    let corsOrigins: [String]
    /// This instance's id (start-up line, `GET /health`).
    let instanceID: String
    /// Where the routes log.
    let logger: Logger

    /// The session store behind `lifecycle`.
    var sessionStore: any SessionStore { lifecycle.configuration.store }

    /// Claims `name` for `sessionID`, taking it over when the session holding it no longer exists
    /// in the store. Used by `POST /register` and `user:rename`; session `sessionID` must be saved first.
    ///
    /// - Returns: whether `sessionID` holds the name now.
    func claim(_ name: UserName, for sessionID: String) async throws -> Bool {
        try await users.claim(name, for: sessionID, takingOverFrom: sessionStore)
    }
}
