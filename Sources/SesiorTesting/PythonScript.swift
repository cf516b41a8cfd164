import Foundation

/// Runs one of the package's Python test clients (stock python-socketio and friends) and returns
/// the JSON object it printed on standard output.
///
/// The interpreter is `$SESIOR_PYTHON`, else `<package root>/.venv/bin/python` — the venv that
/// `make test` creates. Without it the run fails with the command that installs it.
public enum PythonScript {
    /// The package root: three levels above this file (`Sources/SesiorTesting/PythonScript.swift`).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The Python interpreter the scripts run with.
    public static var interpreter: String {
        if let path = ProcessInfo.processInfo.environment["SESIOR_PYTHON"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// The command that creates the venv by hand (`make test` does it for you).
    public static let installHint =
        "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt"

    /// Runs `script` (a path relative to the package root) with `arguments` and returns the JSON
    /// object it printed (through `ChildProcess`, so an in-process server under test keeps the
    /// cooperative pool while the client runs).
    /// - Throws: `ChildProcessFailure` when there is no interpreter, the script exits non-zero, or
    ///   its output is not a JSON object.
    public static func run(_ script: String, arguments: [String]) async throws -> [String: Any] {
        let python = interpreter
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ChildProcessFailure(
                reason: "no Python at \(python): set SESIOR_PYTHON or run `\(installHint)` in the package root")
        }
        let output = try await ChildProcess.run(
            python, arguments: [packageRoot.appendingPathComponent(script).path] + arguments)
        guard output.status == 0 else {
            throw ChildProcessFailure(
                reason: "\(script) \(arguments.first ?? "") exited \(output.status): \(output.standardErrorText)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: output.standardOutput) as? [String: Any] else {
            throw ChildProcessFailure(reason: "\(script) printed no JSON object: \(output.standardOutputText)")
        }
        return object
    }
}
