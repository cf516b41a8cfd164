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

    /// The interpreter of the Engine.IO v3 client venv (python-socketio 4.x with python-engineio
    /// 3.x): `$SESIOR_PYTHON_EIO3`, else `<package root>/.venv-eio3/bin/python`.
    public static var eio3Interpreter: String {
        if let path = ProcessInfo.processInfo.environment["SESIOR_PYTHON_EIO3"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent(".venv-eio3/bin/python").path
    }

    /// The command that creates the Engine.IO v3 venv by hand (`make test` does it for you).
    public static let eio3InstallHint =
        "python3 -m venv .venv-eio3 && .venv-eio3/bin/pip install -r requirements-eio3.txt"

    /// The command that creates the venv by hand (`make test` does it for you).
    public static let installHint =
        "python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt"

    /// Runs `script` (a path relative to the package root) with `arguments` and returns the JSON
    /// object it printed (through `ChildProcess`, so an in-process server under test keeps the
    /// cooperative pool while the client runs).
    /// - Throws: `ChildProcessFailure` when there is no interpreter, the script exits non-zero, or
    ///   its output is not a JSON object.
    /// With `eio3`, the script runs with `eio3Interpreter` (the socket.io 2.x generation client).
    public static func run(_ script: String, arguments: [String], eio3: Bool = false) async throws -> [String: Any] {
        let python = eio3 ? eio3Interpreter : interpreter
        guard FileManager.default.isExecutableFile(atPath: python) else {
            let (variable, hint) = eio3 ? ("SESIOR_PYTHON_EIO3", eio3InstallHint) : ("SESIOR_PYTHON", installHint)
            throw ChildProcessFailure(
                reason: "no Python at \(python): set \(variable) or run `\(hint)` in the package root")
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
