import Foundation
import JavaScriptFormats
import SesiorTesting

/// Runs a scenario of `python/sesior_client.py` (stock python-socketio client).
enum SocketClientPython {
    /// Runs `scenario` with `arguments` (JSON-encoded on the command line) and returns the JSON
    /// object it printed.
    static func run(_ scenario: String, _ arguments: [String: Any]) async throws -> [String: Any] {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        return try await PythonScript.run(
            "Tests/SesiorServerTests/python/sesior_client.py", arguments: [scenario, json])
    }
}
