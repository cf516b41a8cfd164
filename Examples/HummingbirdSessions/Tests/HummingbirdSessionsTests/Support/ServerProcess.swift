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
        let line = await Task.detached { Self.firstLine(of: handle) }.value
        guard let line, let match = line.firstMatch(of: #/http://[^ ]+:(\d+)/#), let port = Int(match.1) else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw TestSetupError("\(name) printed no start-up URL (got \(line ?? "nothing"), exit \(process.terminationStatus))")
        }
        return ServerProcess(name: name, port: port, process: process)
    }

    /// Stops the process with SIGTERM and waits for it.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Reads until the first newline (blocking; both servers print the line right after binding).
    private static func firstLine(of handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
