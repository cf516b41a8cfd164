import HTTPCore

/// `GET /health`: a liveness probe answering `{"status":"ok"}`.
enum HealthRoutes {
    static func register(on app: inout App) {
        app.get("/health") { _ in .json(encoded: #"{"status":"ok"}"#) }
    }
}
