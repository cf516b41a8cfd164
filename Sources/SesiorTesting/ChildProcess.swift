import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion and collects what it printed: the one runner behind the test
/// clients and scripts of SESIOR's test targets (Python, Node.js, the `sesior` executable).
///
/// Waiting never blocks the cooperative pool that an in-process server under test needs: the
/// pipes are drained, and standard input written, on threads of their own, and the exit is
/// awaited through `terminationHandler`. Draining both pipes at once also means a chatty program
/// cannot block on a full pipe.
public enum ChildProcess {
    /// What a finished program left.
    public struct Output: Sendable {
        /// The exit status.
        public let status: Int32
        /// Everything written to standard output.
        public let standardOutput: Data
        /// Everything written to standard error.
        public let standardError: Data

        /// Standard output as UTF-8 text (invalid bytes replaced).
        public var standardOutputText: String { String(decoding: standardOutput, as: UTF8.self) }
        /// Standard error as UTF-8 text (invalid bytes replaced).
        public var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments` until it exits; `environment` is added to this
    /// process's own (an entry replaces one of the same name); `input` is written to its standard
    /// input, which is otherwise empty.
    /// - Throws: what `Process.run()` throws when the program cannot be started. A non-zero exit
    ///   is not an error: check `Output.status`.
    public static func run(
        _ executable: String, arguments: [String], environment: [String: String] = [:], input: Data? = nil
    ) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        async let printed = readToEnd(output.fileHandleForReading)
        async let complaint = readToEnd(errors.fileHandleForReading)
        let status: Int32
        do {
            status = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                write(input ?? Data(), to: stdin.fileHandleForWriting)
            }
        } catch {
            // Never started: end the readers' pipes so that they return.
            try? output.fileHandleForWriting.close()
            try? errors.fileHandleForWriting.close()
            _ = await (printed, complaint)
            throw error
        }
        return Output(status: status, standardOutput: await printed, standardError: await complaint)
    }

    /// The first of `names` found as an executable in a directory of `$PATH` or `extraDirectories`
    /// (searched after `$PATH`, default `/usr/bin` and `/usr/local/bin`), or nil.
    public static func executable(
        named names: [String], extraDirectories: [String] = ["/usr/bin", "/usr/local/bin"]
    ) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + extraDirectories {
            for name in names {
                let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name).path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Everything `handle` yields until end of file, read on a dedicated thread.
    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await blockingCall { handle.readDataToEndOfFile() }
    }

    /// Writes `data` to `handle` and closes it, on a dedicated thread (the program may read it
    /// slowly, or exit without reading it).
    private static func write(_ data: Data, to handle: FileHandle) {
        guard !data.isEmpty else {
            try? handle.close()
            return
        }
        Thread {
            #if canImport(Glibc)
            // A program that exits unread makes the write fail with EPIPE; the SIGPIPE it raises
            // stays pending on this thread, which then ends, instead of killing the test process.
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            #endif
            try? handle.write(contentsOf: data)
            try? handle.close()
        }.start()
    }
}

/// Why a test client or script run through `ChildProcess` gave no result: the program is missing,
/// exited non-zero, or printed something unexpected.
public struct ChildProcessFailure: Error, CustomStringConvertible {
    /// What went wrong, with the program's standard error when it ran.
    public let reason: String

    /// Wraps `reason`.
    public init(reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}
