import Logging

/// Logs one line per request with swift-log: method, path (the whole path, mount points included),
/// status and duration in milliseconds, e.g. `GET /api/items 200 3.2ms`. A thrown `HTTPError` is
/// logged with its status, any other error as 500, and the error is rethrown unchanged. The clock
/// is injectable for tests.
public struct RequestLogMiddleware<C: Clock>: Middleware where C.Duration == Duration {
    /// Where the lines go.
    public var logger: Logger
    /// The level of each line (default `.info`).
    public var level: Logger.Level
    private let clock: C

    /// Creates the middleware logging to `logger` at `level`, timing with `clock`.
    public init(logger: Logger, level: Logger.Level = .info, clock: C) {
        self.logger = logger
        self.level = level
        self.clock = clock
    }

    /// Calls `next` and logs the outcome with its duration.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        // No line would be written at this level: skip the timing (two clock reads per request).
        guard !passesOn(request) else { return try await next(request) }
        let start = clock.now
        do {
            let response = try await next(request)
            log(request, status: response.status.code, since: start)
            return response
        } catch let error as HTTPError {
            log(request, status: error.status.code, since: start)
            throw error
        } catch {
            log(request, status: 500, since: start)
            throw error
        }
    }

    /// True while the logger's level leaves out this middleware's lines.
    public func passesOn(_ request: Request) -> Bool {
        logger.logLevel > level
    }

    private func log(_ request: Request, status: Int, since start: C.Instant) {
        let elapsed = start.duration(to: clock.now).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        let rounded = (milliseconds * 10).rounded() / 10
        logger.log(
            level: level, "\(request.method.rawValue) \(request.fullPath) \(status) \(rounded)ms",
            metadata: ["method": "\(request.method.rawValue)", "path": "\(request.fullPath)", "status": "\(status)"])
    }
}

extension RequestLogMiddleware where C == ContinuousClock {
    /// Creates the middleware logging to `logger` at `level`, timing with the continuous clock.
    public init(logger: Logger, level: Logger.Level = .info) {
        self.init(logger: logger, level: level, clock: ContinuousClock())
    }
}
