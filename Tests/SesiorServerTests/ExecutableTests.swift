import Foundation
import SesiorTesting
import Testing

/// The built `sesior` executable, launched as a user would.
@Suite("the sesior executable")
struct ExecutableTests {
    /// `sesior` next to the test bundle (SwiftPM builds every product before running tests).
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !directory.path.isEmpty && directory.path != "/" {
            let candidate = directory.appendingPathComponent("sesior")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "sesior")
    }

    @Test("prints the start-up line with URL, store and instance id, serves, and stops on SIGTERM")
    func startupLineAndShutdown() async throws {
        let runDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("sesior-exe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: runDirectory) }
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["--port", "0", "--run-dir", runDirectory.path, "--instance-id", "exe1", "--log-level", "error"]
        process.environment = [:]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let handle = output.fileHandleForReading
        let line = try #require(await blockingCall { Self.firstLine(of: handle) })
        let pattern = #/^sesior listening on http://127\.0\.0\.1:(\d+) \(store: memory, instance: exe1\)$/#
        let match = try #require(line.wholeMatch(of: pattern), "unexpected start-up line: \(line)")
        let port = try #require(Int(match.1))

        let health = try await HTTPTestClient.get("/health", port: port)
        #expect(health.body == #"{"status":"ok","redis":"disabled","instance":"exe1"}"#)
        let secret = runDirectory.appendingPathComponent("secret").path
        let attributes = try FileManager.default.attributesOfItem(atPath: secret)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        process.terminate()
        await blockingCall { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
    }

    @Test("--help lists --redis (scripts/run.sh relies on it)")
    func help() async throws {
        let output = try await ChildProcess.run(Self.executable.path, arguments: ["--help"])
        #expect(output.status == 0)
        #expect(output.standardOutputText.contains("--redis <URL>"))
    }

    /// Reads bytes until the first newline (blocking, so called through `blockingCall`; the server
    /// prints it right after binding).
    static func firstLine(of handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
