import HTTPCore
import SessionMiddleware

/// `GET /verify-session`: `{"sessionVerified":true,"user":{"userName":…}}` when the request's
/// session has a registered user, else `{"sessionVerified":false}`.
enum VerifySessionRoute {
    static func register(on app: inout App) {
        app.get("/verify-session") { request in
            let session = try request.requireSession()
            guard let userName = try? session.get(SessionKeys.userName, as: String.self) else {
                return .orderedJSON(["sessionVerified": false])
            }
            return .orderedJSON(["sessionVerified": true, "user": UserJSON.make(userName)])
        }
    }
}
