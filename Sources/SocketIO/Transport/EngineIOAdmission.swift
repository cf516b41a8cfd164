/// What an `allowRequest` hook decides about a handshake request: open the session, or refuse it
/// with HTTP 403 and Engine.IO error 4 (`{"code":4,"message":"Forbidden"}`, or the message given),
/// as engine.io's `allowRequest(req, callback(message, success))`.
public struct EngineIOAdmission: Sendable, Hashable {
    private enum Verdict: Sendable, Hashable {
        case allow
        case refuse(message: String?)
    }

    private let verdict: Verdict

    private init(_ verdict: Verdict) { self.verdict = verdict }

    /// The handshake may open a session.
    public static let allow = EngineIOAdmission(.allow)
    /// The handshake is refused with `{"code":4,"message":"Forbidden"}`.
    public static let refuse = EngineIOAdmission(.refuse(message: nil))

    /// The handshake is refused with `{"code":4,"message":<message>}` (HTTP 403).
    public static func refuse(message: String) -> EngineIOAdmission { EngineIOAdmission(.refuse(message: message)) }

    /// The refusal to answer with, or nil when the handshake is allowed.
    var refusal: EngineIOHTTPError? {
        switch verdict {
        case .allow: nil
        case .refuse(let message?): .forbidden(message: message)
        case .refuse(nil): .forbidden
        }
    }
}
