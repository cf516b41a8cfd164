import Foundation
import Hummingbird

/// Refuses state-changing requests (POST, PUT, PATCH, DELETE) whose body is not declared
/// `application/json` with `415 {"error":…}`, as `sesior` does: an HTML form on another site
/// cannot send that type without a CORS preflight, so it cannot post with the user's cookie.
public struct JSONContentTypeRequirement<Context: RequestContext>: RouterMiddleware {
    /// The methods whose requests must declare a JSON body.
    static var stateChangingMethods: [HTTPRequest.Method] { [.post, .put, .patch, .delete] }

    /// The middleware.
    public init() {}

    /// Answers 415 for a state-changing request without a JSON body type, else runs `next`.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.stateChangingMethods.contains(request.method) && !Self.isJSON(request.headers[.contentType]) {
            throw APIError(.unsupportedMediaType, "Content-Type must be application/json")
        }
        return try await next(request, context)
    }

    /// Whether the media type of `contentType` (parameters ignored) is `application/json`.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let essence = contentType.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
        return essence.lowercased() == "application/json"
    }
}
