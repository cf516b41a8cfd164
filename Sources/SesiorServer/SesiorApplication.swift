import HTTPCore
import Logging
import NIOCore

/// Builds the `App` the `sesior` executable serves.
enum SesiorApplication {
    /// The application with every route group registered.
    static func make(logger: Logger) -> App {
        var app = App(logger: logger)
        HealthRoutes.register(on: &app)
        return app
    }

    /// `http://host:port` for the address the server listens on.
    static func url(of address: SocketAddress) -> String {
        let host = address.ipAddress ?? "localhost"
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(address.port ?? 0)"
    }
}
