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
    /// object it printed.
    ///
    /// Both pipes are drained while the process runs, on threads of their own: a chatty client
    /// cannot block on a full pipe, and the blocking reads never occupy the (small) cooperative
    /// pool that an in-process server under test needs.
    /// - Throws: `PythonScriptFailure` when there is no interpreter, the script exits non-zero, or
    ///   its output is not a JSON object.
    public static func run(_ script: String, arguments: [String]) async throws -> [String: Any] {
        let python = interpreter
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw PythonScriptFailure(
                reason: "no Python at \(python): set SESIOR_PYTHON or run `\(installHint)` in the package root")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot.appendingPathComponent(script).path] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        async let printed = readToEnd(output.fileHandleForReading)
        async let complaint = readToEnd(errors.fileHandleForReading)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                try? output.fileHandleForWriting.close()
                try? errors.fileHandleForWriting.close()
                continuation.resume(throwing: error)
            }
        }
        let stdout = await printed
        let stderr = String(decoding: await complaint, as: UTF8.self)
        guard status == 0 else {
            throw PythonScriptFailure(reason: "\(script) \(arguments.first ?? "") exited \(status): \(stderr)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any] else {
            throw PythonScriptFailure(
                reason: "\(script) printed no JSON object: \(String(decoding: stdout, as: UTF8.self))")
        }
        return object
    }

    /// Everything `handle` yields until end of file, read on a dedicated thread.
    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
        }
    }
}

/// Why a Python test client could not give a result.
public struct PythonScriptFailure: Error, CustomStringConvertible {
    /// What went wrong, with the script's standard error when it ran.
    public let reason: String

    /// Wraps `reason`.
    public init(reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}
