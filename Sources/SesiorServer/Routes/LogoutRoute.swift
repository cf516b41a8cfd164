import HTTPCore
import SessionKit
import SessionMiddleware
import SesiorUsers

/// `POST /logout`: destroys the session, releases its user name and tells the socket layer (which
/// disconnects the session's sockets and broadcasts `user:left`). Answers `{"loggedOut":true}`,
/// also when the session had no user.
struct LogoutRoute {
    let services: SesiorServices

    static func register(on app: inout App, services: SesiorServices) {
        let route = LogoutRoute(services: services)
        app.post("/logout", JSONContentTypeRequirement.guarding { request in try await route.handle(request) })
    }

    func handle(_ request: Request) async throws -> Response {
        let session = try request.requireSession()
        let sessionID = session.id
        let userName = try? session.get(SessionKeys.userName, as: String.self)
        if !session.isNew {
            try await session.destroy()
        } else {
            session.unset()
        }
        if let name = userName.flatMap({ try? UserName(validating: $0) }) {
            try await services.users.release(name, ownedBy: sessionID)
            services.logger.info("user logged out", metadata: ["userName": "\(name)"])
        }
        await services.sockets?.sessionLoggedOut(sessionID: sessionID, userName: userName)
        var response = Response.orderedJSON(["loggedOut": true])
        response.headers.add(name: "Set-Cookie", value: expiredCookie)
        return response
    }

    /// A `Set-Cookie` that makes the browser drop the session cookie.
    private var expiredCookie: String {
        let options = services.lifecycle.configuration
        return "\(options.name)=; Path=\(options.cookie.path); Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly"
    }
}
