import Foundation

/// Where the executables the tests launch are.
enum TestBinaries {
    /// The root of the SESIOR repository (this package lives in `Examples/HummingbirdSessions`).
    static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<6 { url.deleteLastPathComponent() }
        return url
    }

    /// The real `sesior` binary: `$SESIOR_BINARY`, else the main package's `.build/debug/sesior`.
    ///
    /// - Throws: `TestSetupError` saying how to build it when it is missing.
    static func sesior() throws -> URL {
        let path = ProcessInfo.processInfo.environment["SESIOR_BINARY"]
            ?? repositoryRoot.appendingPathComponent(".build/debug/sesior").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSetupError(
                "sesior binary not found at \(path): run `swift build --product sesior` at the repository root "
                    + "(or scripts/hummingbird-example.sh), or set SESIOR_BINARY")
        }
        return URL(fileURLWithPath: path)
    }

    /// This package's `hummingbird-sessions`, next to the test bundle (SwiftPM builds every
    /// product before running the tests).
    static func hummingbirdSessions() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !directory.path.isEmpty && directory.path != "/" {
            let candidate = directory.appendingPathComponent("hummingbird-sessions")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw TestSetupError("hummingbird-sessions not found next to the test bundle: run `swift build` in this package")
    }

    /// `name` found on `PATH` (or /usr/bin, /usr/local/bin, /usr/sbin).
    static func onPath(_ name: String, install: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/usr/sbin"]
        for directory in directories {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TestSetupError("\(name) not found on PATH; install it with `\(install)`")
    }
}
