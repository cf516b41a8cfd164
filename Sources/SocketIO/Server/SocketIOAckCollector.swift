import JavaScriptFormats
import NIOConcurrencyHelpers

/// Gathers the acknowledgements of one broadcast with acks, as socket.io's `BroadcastOperator`
/// does: each instance reports how many clients it sent the event to, and the broadcast is
/// complete once every instance reported and that many acknowledgements arrived.
final class SocketIOAckCollector: Sendable {
    private struct State {
        var expectedServers: Int?
        var reportedServers = 0
        var expectedClients = 0
        var responses: [SocketIOValue] = []
        var continuation: CheckedContinuation<[SocketIOValue], any Error>?
        var finished: Result<[SocketIOValue], any Error>?

        var isComplete: Bool {
            guard let expectedServers else { return false }
            return reportedServers >= expectedServers && responses.count >= expectedClients
        }
    }

    private let state: NIOLockedValueBox<State>

    /// A collector waiting for `servers` client counts (nil: set later with `expectServers`).
    init(servers: Int?) {
        state = NIOLockedValueBox(State(expectedServers: servers))
    }

    /// Sets how many instances will report a client count.
    func expectServers(_ count: Int) { update { $0.expectedServers = count } }

    /// One instance's client count.
    func clientCount(_ count: Int) {
        update {
            $0.reportedServers += 1
            $0.expectedClients += count
        }
    }

    /// One client's acknowledgement.
    @Sendable func ack(_ value: SocketIOValue) { update { $0.responses.append(value) } }

    /// The acknowledgements, once complete.
    ///
    /// - Throws: `SocketIOAckError.timedOut` when not complete within `timeout`.
    func responses(timeout: Duration) async throws -> [SocketIOValue] {
        let timer = Task {
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            self.finish(.failure(SocketIOAckError.timedOut))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let finished = state.withLockedValue { state -> Result<[SocketIOValue], any Error>? in
                if let finished = state.finished { return finished }
                if state.isComplete { return .success(state.responses) }
                state.continuation = continuation
                return nil
            }
            if let finished { continuation.resume(with: finished) }
        }
    }

    private func update(_ change: (inout State) -> Void) {
        let ready = state.withLockedValue { state -> (CheckedContinuation<[SocketIOValue], any Error>, [SocketIOValue])? in
            guard state.finished == nil else { return nil }
            change(&state)
            guard state.isComplete else { return nil }
            state.finished = .success(state.responses)
            guard let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.responses)
        }
        if let (continuation, responses) = ready { continuation.resume(returning: responses) }
    }

    private func finish(_ result: Result<[SocketIOValue], any Error>) {
        let continuation = state.withLockedValue { state -> CheckedContinuation<[SocketIOValue], any Error>? in
            guard state.finished == nil else { return nil }
            state.finished = result
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: result)
    }
}
