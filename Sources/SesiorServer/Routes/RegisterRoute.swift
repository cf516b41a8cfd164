import HTTPCore
import Logging
import SessionKit
import SessionMiddleware
import SesiorUsers

/// `POST /register` with `{"userName": …}`: gives the session a user name that no other live
/// session holds, on any instance.
///
/// Answers (exactly one per request): `200 {"membershipResolved":true,"user":{"userName":…}}`,
/// `400 {"error":…}` for a missing or invalid name, `409 {"membershipResolved":false,"error":"User already exists"}`.
///
/// The session id is regenerated first (no session fixation), and the new session is saved before
/// the name is claimed, so the claim's owner always exists in the store. A name the session already
/// held moves to the new id and is released once the new name is won; on 409 the session keeps it.
/// A name whose owning session no longer exists in the store (expired) is taken over
/// (`SesiorServices.claim`).
struct RegisterRoute {
    let services: SesiorServices

    static func register(on app: inout App, services: SesiorServices) {
        let route = RegisterRoute(services: services)
        app.post("/register", JSONContentTypeRequirement.guarding { request in try await route.handle(request) })
    }

    func handle(_ request: Request) async throws -> Response {
        guard let raw = request.jsonBody?["userName"]?.stringValue else {
            throw HTTPError(.badRequest, reason: "userName must be a string")
        }
        let name: UserName
        do {
            name = try UserName(validating: raw)
        } catch {
            throw HTTPError(.badRequest, reason: error.reason)
        }
        let session = try request.requireSession()
        let previousID = session.id
        let previousName = (try? session.get(SessionKeys.userName, as: String.self)).flatMap { try? UserName(validating: $0) }

        try await session.regenerate()
        let sessionID = session.id
        let keptName = try await carryOver(previousName, from: previousID, into: session)

        guard try await services.claim(name, for: sessionID) else {
            return .orderedJSON(["membershipResolved": false, "error": "User already exists"], status: .conflict)
        }
        try session.set(SessionKeys.userName, name.value)
        try await session.save()
        if let keptName, keptName != name {
            try await services.users.release(keptName, ownedBy: sessionID)
        }
        services.logger.info("user registered", metadata: ["userName": "\(name)"])
        await services.sockets?.sessionRegistered(
            previousSessionID: previousID, sessionID: sessionID, userName: name.value)
        return .orderedJSON(["membershipResolved": true, "user": UserJSON.make(name.value)])
    }

    /// Saves the regenerated `session` (so the claim's owner exists in the store), moving the name
    /// the session held before, if any, to its new id. Returns the name kept, or nil; a name that
    /// session `previousID` no longer held is dropped from the session, so two sessions never show
    /// one name.
    private func carryOver(_ previousName: UserName?, from previousID: String, into session: Session) async throws
        -> UserName?
    {
        guard let previousName else {
            try await session.save()
            return nil
        }
        try session.set(SessionKeys.userName, previousName.value)
        try await session.save()
        if try await services.users.transfer(previousName, from: previousID, to: session.id) {
            return previousName
        }
        session.remove(SessionKeys.userName)
        try await session.save()
        return nil
    }
}
