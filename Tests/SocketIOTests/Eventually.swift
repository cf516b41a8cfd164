/// Polls `condition` every 50 ms until it holds or `limit` passes (generous: the machine may be
/// loaded); returns whether it held.
func eventually(within limit: Duration = .seconds(30), _ condition: @Sendable () async -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}
