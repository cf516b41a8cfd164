import SesiorTesting

/// Runs a scenario of `python/interop_client.py` (stock python-socketio client) against `url`.
enum InteropPython {
    /// Returns the JSON object the scenario printed.
    static func run(_ scenario: String, url: String) async throws -> [String: Any] {
        try await PythonScript.run("Tests/SocketIOTests/python/interop_client.py", arguments: [url, scenario])
    }
}
