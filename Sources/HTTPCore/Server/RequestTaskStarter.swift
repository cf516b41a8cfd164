import NIOCore

/// Starts the task that answers one request, on the configured executor.
struct RequestTaskStarter {
    /// Starts a task that runs on the executor (its first job is enqueued, as `Task.init`).
    let start: (@escaping @Sendable () async -> Void) -> Void
    /// Starts a task that, with the event-loop executor, runs on the calling thread (the event
    /// loop) until its first suspension, and on the event loop after it: one enqueued job less per
    /// request, and a command the handler sends (e.g. to Redis) is written in the same turn. The
    /// caller must be on the event loop and must not be re-entered by the body's synchronous
    /// part. With the global executor it is `start`.
    let startImmediately: (@escaping @Sendable () async -> Void) -> Void

    init(eventLoop: any EventLoop, execution: HTTPServerConfiguration.HandlerExecution) {
        if #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *), execution == .eventLoop {
            let executor = EventLoopTaskExecutor(eventLoop: eventLoop)
            start = { body in Task(executorPreference: executor, operation: body) }
            startImmediately = { body in Task.immediate(executorPreference: executor, operation: body) }
        } else if #available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *), execution == .eventLoop {
            let executor = EventLoopTaskExecutor(eventLoop: eventLoop)
            start = { body in Task(executorPreference: executor, operation: body) }
            startImmediately = start
        } else {
            start = { body in Task(operation: body) }
            startImmediately = start
        }
    }
}
