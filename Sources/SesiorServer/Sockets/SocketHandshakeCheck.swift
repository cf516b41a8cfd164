import HTTPCore
import SessionKit
import SocketIO
import SesiorUsers

/// The socket handshake middleware: a socket may connect only with the cookie of a live session
/// whose user is registered; the session id travels in `socket.data`. (Origins are checked before,
/// at the Engine.IO handshake, by `SocketOriginPolicy`.)
struct SocketHandshakeCheck: Sendable {
    /// The refusal the original SESIOR answered for a missing session.
    static let notAuthorized = "Not authorized"
    /// The key of the session id in `socket.data`.
    static let sessionIDKey = "sessionID"

    let services: SesiorServices

    /// Allows the handshake with `["sessionID": id]` as socket data, or refuses it.
    func verdict(for handshake: SocketIOHandshake) async -> SocketIOMiddlewareResult {
        do {
            guard let session = try await services.lifecycle.loadExisting(cookieHeader: handshake.cookieHeader),
                let raw = try session.get(SessionKeys.userName, as: String.self),
                let name = try? UserName(validating: raw),
                try await services.users.owner(of: name) == session.id
            else { return .refuse(Self.notAuthorized) }
            return .allow(data: [Self.sessionIDKey: .string(session.id)])
        } catch {
            services.logger.warning("socket handshake: session store failed", metadata: ["error": "\(error)"])
            return .refuse("Session store unavailable")
        }
    }
}
