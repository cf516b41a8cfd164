import Hummingbird
import SessionKit

/// `GET /verify-session`: `{"sessionVerified":true,"user":{"userName":…}}` when the request's
/// session holds a user name (set by `POST /register` here or on `sesior`), else
/// `{"sessionVerified":false}` — the same answers as `sesior`.
public enum VerifySessionRoute {
    /// The session key holding the user's name, as `sesior` (and the original SESIOR) stores it.
    public static let userNameKey = "userName"

    /// Adds the route to `group`, whose middleware must include `SessionKitMiddleware`.
    public static func add<Context: SessionRequestContext>(to group: RouterGroup<Context>) {
        group.get("verify-session") { _, context -> Response in
            let session = try context.requireSession()
            guard let userName = try? session.get(userNameKey, as: String.self) else {
                return JSONResponse.make(["sessionVerified": false])
            }
            return JSONResponse.make(["sessionVerified": true, "user": JSONResponse.user(userName)])
        }
    }
}
