import HTTPCore
import SocketIO
import Synchronization

/// Which origins may open a socket: the page's own (the Origin's authority is the Host), none at
/// all (not a browser), or one of the CORS allow-list. It is the Engine.IO server's
/// `allowRequest`, so one rule covers every transport and every namespace; a foreign origin gets
/// HTTP 403 `{"code":4,"message":"Forbidden"}` before any session exists.
///
/// The allow-list is known only when the layer is mounted (`SesiorServices.corsOrigins`), after the
/// Socket.IO server is made, so it is set then.
final class SocketOriginPolicy: Sendable {
    private let corsOrigins = Mutex<Set<String>>([])

    /// Sets the CORS allow-list (called once, when the socket layer is mounted).
    func allow(_ origins: [String]) { corsOrigins.withLock { $0 = Set(origins) } }

    /// The `allowRequest` verdict on a handshake request.
    func admission(for request: Request) -> EngineIOAdmission {
        isAllowed(origin: request.headers["Origin"], host: request.headers["Host"]) ? .allow : .refuse
    }

    /// Same-origin, absent Origin, or an origin of the CORS allow-list.
    func isAllowed(origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        if corsOrigins.withLock({ $0.contains(origin) }) { return true }
        guard let host else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }
}
