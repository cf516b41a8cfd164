import Hummingbird
import RedisStore

/// `GET /health`: `200 {"status":"ok","redis":"up"}`, or `503 {"status":"degraded","redis":"down"}`
/// when Redis does not answer PING. Mounted before the session middleware, so it answers even when
/// the store is down.
public enum HealthRoute {
    /// Adds the route to `router`.
    public static func add<Context: RequestContext>(to router: Router<Context>, redis: any RedisClient) {
        router.get("health") { _, _ -> Response in
            let isUp = (try? await redis.send("PING")) == .simpleString("PONG")
            return isUp
                ? JSONResponse.make(["status": "ok", "redis": "up"])
                : JSONResponse.make(["status": "degraded", "redis": "down"], status: .serviceUnavailable)
        }
    }
}
