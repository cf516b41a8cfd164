import Foundation
import HTTPCore

/// Refuses a request to a state-changing API route (`POST /register`, `POST /logout`) whose body
/// is not declared `application/json` with `415 {"error":…}`.
///
/// An HTML form (or any "simple" cross-site request) cannot send `application/json` without a CORS
/// preflight, which only the allow-listed origins pass; so this keeps other sites from posting to
/// the API with the user's cookie. It guards the routes themselves (`guarding(_:)`), as Express
/// would with a route-level middleware: a request no route serves is 404 whatever its body, and a
/// route's guard runs whenever the route does, whatever path spelling the router matched.
enum JSONContentTypeRequirement {
    /// `handler` behind the requirement: a request without a JSON content type never reaches it.
    static func guarding(_ handler: @escaping RouteHandler) -> RouteHandler {
        { request in
            guard isJSON(request.headers["Content-Type"]) else {
                throw HTTPError(.unsupportedMediaType, reason: "Content-Type must be application/json")
            }
            return try await handler(request)
        }
    }

    /// Whether the media type of `contentType` (parameters ignored) is `application/json`.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let essence = contentType.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
        return essence.lowercased() == "application/json"
    }
}
