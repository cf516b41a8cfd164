import NIOCore

/// Starts the task that answers one request, on the configured executor.
struct RequestTaskStarter {
    let start: (@escaping @Sendable () async -> Void) -> Void

    init(eventLoop: any EventLoop, execution: HTTPServerConfiguration.HandlerExecution) {
        if #available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *), execution == .eventLoop {
            let executor = EventLoopTaskExecutor(eventLoop: eventLoop)
            start = { body in Task(executorPreference: executor, operation: body) }
        } else {
            start = { body in Task(operation: body) }
        }
    }
}
