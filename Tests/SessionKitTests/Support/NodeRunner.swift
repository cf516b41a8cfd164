import Foundation
import Testing

/// Runs a Node.js script with Debian's node modules (`NODE_PATH=/usr/share/nodejs`), feeding it
/// `input` on stdin and returning its stdout. Missing node is a test failure, never a skip.
enum NodeRunner {
    static let installHint = "apt-get install nodejs node-cookie-signature node-cookie"

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func nodeExecutable() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
            for name in ["node", "nodejs"] {
                let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    static func run(
        script: String, input: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        guard let node = nodeExecutable() else {
            Issue.record("node was not found on PATH; install it with: \(installHint)", sourceLocation: sourceLocation)
            throw Failure(description: "node missing (\(installHint))")
        }
        // Waiting for node blocks a thread: use one of our own, not the concurrency pool's.
        let result = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result { try runBlocking(node, script: script, input: input) })
            }
        }
        do {
            return try result.get()
        } catch let failure as Failure {
            Issue.record(Comment(rawValue: failure.description), sourceLocation: sourceLocation)
            throw failure
        }
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
