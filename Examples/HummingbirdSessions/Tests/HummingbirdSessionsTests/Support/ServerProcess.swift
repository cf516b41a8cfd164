import Foundation

/// A server executable started for a test: it must print a start-up line containing
/// `http://HOST:PORT` on stdout once it listens (`sesior` and `hummingbird-sessions` both do).
final class ServerProcess: Sendable {
    /// What the process is, for messages ("sesior", "hummingbird-sessions").
    let name: String
    /// The port it listens on, read from its start-up line.
    let port: Int
    private let process: Process

    private init(name: String, port: Int, process: Process) {
        self.name = name
        self.port = port
        self.process = process
    }

    /// Launches `executable` with `arguments` and waits (up to 30 s) for its start-up line.
    ///
    /// - Throws: `TestSetupError` when it exits or prints no URL.
    static func launch(_ name: String, executable: URL, arguments: [String]) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SESIOR_") }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        let line = await Self.firstLine(of: handle)
        guard let line, let match = line.firstMatch(of: #/http://[^ ]+:(\d+)/#), let port = Int(match.1) else {
            await terminate(process)
            throw TestSetupError("\(name) printed no start-up URL (got \(line ?? "nothing"), exit \(process.terminationStatus))")
        }
        return ServerProcess(name: name, port: port, process: process)
    }

    /// Stops the process with SIGTERM and waits for it.
    func stop() async {
        await Self.terminate(process)
    }

    /// Sends `signal` (SIGKILL after 5 s) and waits for `process` to exit, polling so no thread of
    /// the concurrency pool blocks.
    static func terminate(_ process: Process, signal: Int32 = SIGTERM) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Reads until the first newline on a thread of its own (the read blocks; both servers print
    /// the line right after binding), so the concurrency pool stays free.
    private static func firstLine(of handle: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes: [UInt8] = []
                while true {
                    let chunk = handle.readData(ofLength: 1)
                    guard let byte = chunk.first else {
                        continuation.resume(returning: bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self))
                        return
                    }
                    if byte == UInt8(ascii: "\n") {
                        continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
                        return
                    }
                    bytes.append(byte)
                }
            }
        }
    }
}
