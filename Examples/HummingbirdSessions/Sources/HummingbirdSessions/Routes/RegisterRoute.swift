import Hummingbird
import JavaScriptFormats
import RedisStore
import SesiorUsers
import SessionKit

/// `POST /register` with `{"userName": …}`: gives the session a user name no other live session
/// holds — on this server or on `sesior`, which share the registry and the sessions.
///
/// Answers as `sesior` does: `200 {"membershipResolved":true,"user":{"userName":…}}`,
/// `400 {"error":…}` for a body that is not JSON or a missing or invalid name,
/// `409 {"membershipResolved":false,"error":"User already exists"}`, `503 {"error":…}` when Redis fails.
///
/// The steps are `sesior`'s: the session id is regenerated first (no session fixation) and saved
/// before the name is claimed, so the claim's owner always exists in the store; a name the session
/// held before moves to the new id and is released once the new name is won (a rename); on 409
/// the session keeps it.
public struct RegisterRoute: Sendable {
    /// Largest accepted body in bytes (as `sesior`'s JSON body limit).
    public static let bodyLimit = 16 * 1024

    let services: SessionsServices

    /// Adds the route to `group`, whose middleware must include `SessionKitMiddleware`.
    public static func add<Context: SessionRequestContext>(to group: RouterGroup<Context>, services: SessionsServices) {
        let route = RegisterRoute(services: services)
        group.post("register") { request, context -> Response in
            do {
                return try await route.handle(request, session: try context.requireSession())
            } catch let error as RedisError {
                context.logger.error("user registry failed", metadata: ["error": "\(error)"])
                throw APIError(.serviceUnavailable, "User registry unavailable")
            }
        }
    }

    func handle(_ request: Request, session: Session) async throws -> Response {
        let name = try await Self.requestedName(of: request)
        let previousID = session.id
        let previousName = (try? session.get(VerifySessionRoute.userNameKey, as: String.self))
            .flatMap { try? UserName(validating: $0) }

        try await session.regenerate()
        let sessionID = session.id
        let keptName = try await carryOver(previousName, from: previousID, into: session)

        guard try await services.users.claim(name, for: sessionID, takingOverFrom: services.sessionStore) else {
            return JSONResponse.make(
                ["membershipResolved": false, "error": "User already exists"], status: .conflict)
        }
        try session.set(VerifySessionRoute.userNameKey, name.value)
        try await session.save()
        if let keptName, keptName != name {
            try await services.users.release(keptName, ownedBy: sessionID)
        }
        return JSONResponse.make(["membershipResolved": true, "user": JSONResponse.user(name.value)])
    }

    /// The validated `userName` of the JSON body.
    ///
    /// - Throws: `APIError` 413 for a body above `bodyLimit`, 400 for invalid JSON or name.
    static func requestedName(of request: Request) async throws -> UserName {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: bodyLimit)
        } catch {
            throw APIError(.contentTooLarge, "JSON body larger than \(bodyLimit) bytes")
        }
        var json: JSONValue?
        if buffer.readableBytes > 0 {
            do {
                json = try JSONValue(parsing: buffer.readableBytesView)
            } catch {
                throw APIError(.badRequest, "invalid JSON: \(error.reason)")
            }
        }
        guard let raw = json?["userName"]?.stringValue else {
            throw APIError(.badRequest, "userName must be a string")
        }
        do {
            return try UserName(validating: raw)
        } catch {
            throw APIError(.badRequest, error.reason)
        }
    }

    /// Saves the regenerated `session` (so the claim's owner exists in the store), moving the name
    /// the session held before, if any, to its new id. Returns the name kept, or nil; a name that
    /// session `previousID` no longer held is dropped, so two sessions never show one name.
    private func carryOver(_ previousName: UserName?, from previousID: String, into session: Session) async throws
        -> UserName?
    {
        guard let previousName else {
            try await session.save()
            return nil
        }
        try session.set(VerifySessionRoute.userNameKey, previousName.value)
        try await session.save()
        if try await services.users.transfer(previousName, from: previousID, to: session.id) {
            return previousName
        }
        session.remove(VerifySessionRoute.userNameKey)
        try await session.save()
        return nil
    }
}
