import HTTPCore
import JavaScriptFormats
import SessionKit

/// `GET /users`: `{"users":["alice","bob"]}`, every registered name (all instances), sorted.
enum UsersRoute {
    static func register(on app: inout App, services: SesiorServices) {
        app.get("/users") { _ in
            let names = try await services.users.userNames()
            return .orderedJSON(["users": .array(names.map(JSONValue.string))])
        }
    }
}
