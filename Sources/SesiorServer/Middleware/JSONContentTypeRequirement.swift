import Foundation
import HTTPCore

/// Refuses state-changing requests (POST, PUT, PATCH, DELETE) whose body is not declared
/// `application/json` with `415 {"error":…}`.
///
/// An HTML form (or any "simple" cross-site request) cannot send `application/json` without a CORS
/// preflight, which only the allow-listed origins pass; so this keeps other sites from posting to
/// the API with the user's cookie.
struct JSONContentTypeRequirement: Middleware {
    static let stateChangingMethods: Set<HTTPMethod> = [.post, .put, .patch, .delete]

    func handle(_ request: Request, next: Next) async throws -> Response {
        if Self.stateChangingMethods.contains(request.method) && !Self.isJSON(request.headers["Content-Type"]) {
            throw HTTPError(.unsupportedMediaType, reason: "Content-Type must be application/json")
        }
        return try await next(request)
    }

    /// True for methods that change no state: only those the requirement checks are entered.
    func passesOn(_ request: Request) -> Bool {
        !Self.stateChangingMethods.contains(request.method)
    }

    /// Whether the media type of `contentType` (parameters ignored) is `application/json`.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let essence = contentType.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
        return essence.lowercased() == "application/json"
    }
}
