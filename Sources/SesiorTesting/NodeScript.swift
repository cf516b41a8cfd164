import Foundation

/// Runs Node.js with Debian's node modules (`NODE_PATH=/usr/share/nodejs`), for the interop tests
/// against Node's own packages (`cookie-signature`, `cookie`, node-redis). A missing `node` is a
/// failure with the command that installs what the caller needs, never a skip.
public enum NodeScript {
    /// Where Debian installs node modules (`node-redis` → `/usr/share/nodejs/redis`).
    public static let modulePath = "/usr/share/nodejs"

    /// Runs `node` with `arguments` (a script file and its arguments, or `-e` and code) and
    /// `input` on standard input; returns what it printed on standard output.
    /// - Throws: `ChildProcessFailure` when node is not installed (the reason ends with
    ///   `installHint`) or exits non-zero (with its standard error).
    public static func run(_ arguments: [String], input: Data? = nil, installHint: String) async throws -> String {
        guard let node = ChildProcess.executable(named: ["node", "nodejs"]) else {
            throw ChildProcessFailure(reason: "node was not found on PATH; install it with: \(installHint)")
        }
        let output = try await ChildProcess.run(
            node, arguments: arguments, environment: ["NODE_PATH": modulePath], input: input)
        guard output.status == 0 else {
            throw ChildProcessFailure(
                reason: "node failed (status \(output.status)): \(output.standardErrorText) — is the module installed? \(installHint)")
        }
        return output.standardOutputText
    }
}
