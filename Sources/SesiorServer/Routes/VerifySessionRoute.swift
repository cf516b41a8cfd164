import HTTPCore
import JavaScriptFormats
import SessionMiddleware

/// `GET /verify-session`: `{"sessionVerified":true,"user":{"userName":…}}` when the request's
/// session has a registered user, else `{"sessionVerified":false}`.
enum VerifySessionRoute {
    static func register(on app: inout App) {
        app.get("/verify-session") { request in
            let session = try request.requireSession()
            guard let userName = try? session.get(SessionKeys.userName, as: String.self) else {
                return .json(encoded: notVerifiedBody)
            }
            return .json(encoded: verifiedBody(userName: userName))
        }
    }

    static let notVerifiedBody = #"{"sessionVerified":false}"#

    /// `{"sessionVerified":true,"user":{"userName":…}}`, the text `.orderedJSON` would write, built
    /// without the intermediate ordered dictionaries (this route runs on every page load).
    static func verifiedBody(userName: String) -> String {
        #"{"sessionVerified":true,"user":{"userName":"# + JSONValue.string(userName).jsonString + "}}"
    }
}
