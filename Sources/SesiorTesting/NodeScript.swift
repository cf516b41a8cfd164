import Foundation

/// Runs a Node.js script with Debian's node modules (`NODE_PATH=/usr/share/nodejs`), feeding it
/// an input on standard input and returning what it printed: the peer that tests compare
/// SESIOR's JSON, signatures, cookies and dates with. A missing node, or a script that fails, is
/// a thrown ``NodeScript/Failure`` that names the package to install, so the test fails and never
/// skips.
public enum NodeScript {
    /// The Debian packages the scripts use.
    public static let installHint = "apt-get install nodejs node-cookie-signature node-cookie"

    /// Node could not be run, or the script failed.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the install hint.
        public let description: String
    }

    /// The `node` (or `nodejs`) executable on `PATH`, or nil.
    public static func executable() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            for name in ["node", "nodejs"] {
                let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    /// Runs `script` (the text of `node -e`) with `input` on its standard input and returns its
    /// standard output.
    ///
    /// - Throws: ``Failure`` when node is missing or exits with a non-zero status.
    public static func run(script: String, input: String) async throws -> String {
        guard let node = executable() else {
            throw Failure(description: "node was not found on PATH; install it with: \(installHint)")
        }
        // Waiting for node blocks a thread: use one of our own, not the concurrency pool's.
        let result = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result { try runBlocking(node, script: script, input: input) })
            }
        }
        return try result.get()
    }

    private static func runBlocking(_ node: URL, script: String, input: String) throws -> String {
        let process = Process()
        process.executableURL = node
        process.arguments = ["-e", script]
        var environment = ProcessInfo.processInfo.environment
        environment["NODE_PATH"] = "/usr/share/nodejs"
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Node scripts here read all of standard input before they print anything.
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errorOutput = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "node failed (status \(process.terminationStatus)): "
                + String(decoding: errorOutput, as: UTF8.self) + " — is the module installed? \(installHint)")
        }
        return String(decoding: output, as: UTF8.self)
    }
}
