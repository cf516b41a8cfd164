import HTTPCore
import JavaScriptFormats
import SessionKit

/// `GET /health`: `200 {"status":"ok","redis":"up","instance":…}`, or
/// `503 {"status":"degraded","redis":"down","instance":…}` when Redis is configured but does not
/// answer. Without Redis, `"redis":"disabled"`. Runs before the session middleware, so it answers
/// even when the store is down. Redis is PINGed at most once a second (`StoreHealth.current()`),
/// not once per request.
enum HealthRoute {
    static func register(on app: inout App, services: SesiorServices) {
        app.get("/health") { _ in
            let instance = JSONValue.string(services.instanceID)
            switch await services.health.current() {
            case .disabled:
                return .orderedJSON(["status": "ok", "redis": "disabled", "instance": instance])
            case .up:
                return .orderedJSON(["status": "ok", "redis": "up", "instance": instance])
            case .down:
                return .orderedJSON(["status": "degraded", "redis": "down", "instance": instance], status: .serviceUnavailable)
            }
        }
    }
}
