import Foundation
import Testing

/// Runs `python/interop_client.py` with the project's Python (python-socketio installed).
///
/// The interpreter is `$SESIOR_PYTHON`, else `<package root>/.venv/bin/python`. Without it the
/// test fails with the command that installs it.
enum InteropPython {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static var interpreter: String {
        if let path = ProcessInfo.processInfo.environment["SESIOR_PYTHON"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent(".venv/bin/python").path
    }

    static let installHint =
        "python3 -m venv .venv && .venv/bin/pip install \"python-socketio[client]>=5.11\" websocket-client requests"

    /// Runs one scenario against `url` and returns the JSON object it printed.
    static func run(_ scenario: String, url: String) async throws -> [String: Any] {
        let python = interpreter
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "no Python at \(python): set SESIOR_PYTHON or run `\(installHint)` in the package root")
        let script = packageRoot.appendingPathComponent("Tests/SocketIOTests/python/interop_client.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, url, scenario]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(status == 0, "interop_client.py \(scenario) exited \(status): \(stderr)")
        let object = try JSONSerialization.jsonObject(with: stdout)
        return try #require(object as? [String: Any], "unexpected output: \(String(decoding: stdout, as: UTF8.self))")
    }
}
