import Foundation
import Testing

/// Runs a scenario of `python/sesior_client.py` (stock python-socketio client) and returns the
/// JSON object it printed.
///
/// The interpreter is `$SESIOR_PYTHON`, else `<package root>/.venv/bin/python`. Without it the
/// test fails with the command that installs it.
enum SocketClientPython {
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

    /// Runs `scenario` with `arguments` (JSON-encoded on the command line).
    static func run(_ scenario: String, _ arguments: [String: Any]) async throws -> [String: Any] {
        let python = interpreter
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "no Python at \(python): set SESIOR_PYTHON or run `\(installHint)` in the package root")
        let script = packageRoot.appendingPathComponent("Tests/SesiorServerTests/python/sesior_client.py").path
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, scenario, json]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        // Drain both pipes while the process runs, so a chatty client cannot block on a full pipe.
        // The blocking reads run on threads of their own: on the (2-thread) cooperative pool they
        // would starve the in-process server the client talks to.
        async let stdout = Self.readToEnd(output.fileHandleForReading)
        async let stderr = Self.readToEnd(errors.fileHandleForReading)
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
        let printed = await stdout
        let complaint = String(decoding: await stderr, as: UTF8.self)
        try #require(status == 0, "sesior_client.py \(scenario) exited \(status): \(complaint)")
        let object = try JSONSerialization.jsonObject(with: printed)
        return try #require(
            object as? [String: Any], "unexpected output: \(String(decoding: printed, as: UTF8.self))")
    }

    /// Everything `handle` yields until end of file, read on a dedicated thread.
    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: handle.readDataToEndOfFile()) }.start()
        }
    }
}
