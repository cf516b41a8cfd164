import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cookie-signing secret generated on first start when none is configured, kept in a file
/// readable only by its owner (mode 0600) so sessions stay valid across restarts.
struct SecretFile {
    /// The file's path.
    let path: String

    /// The secret file inside `runDirectory` (named `secret`).
    init(runDirectory: String) {
        path = URL(fileURLWithPath: runDirectory).appendingPathComponent("secret").path
    }

    /// What `loadOrCreate` found.
    struct Loaded: Sendable {
        /// The secret.
        var secret: String
        /// Whether this call created the file.
        var created: Bool
        /// Whether the existing file can be read by others than its owner (a warning is due).
        var isExposed: Bool
    }

    /// Reads the secret, or creates the run folder (0700) and the file (0600, `O_EXCL`, so two
    /// instances starting together agree on one secret) with 32 random bytes as hex.
    ///
    /// - Throws: `SecretFileError` when the file cannot be read or written, or is empty.
    func loadOrCreate() throws(SecretFileError) -> Loaded {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SecretFileError(reason: "cannot create \(directory): \(error.localizedDescription)")
        }
        let secret = Self.randomSecret()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor >= 0 {
            let bytes = Array((secret + "\n").utf8)
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
            guard written == bytes.count else { throw SecretFileError(reason: "cannot write \(path)") }
            return Loaded(secret: secret, created: true, isExposed: false)
        }
        guard errno == EEXIST else {
            throw SecretFileError(reason: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        return try load()
    }

    private func load() throws(SecretFileError) -> Loaded {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SecretFileError(reason: "cannot read \(path)")
        }
        let secret = text.trimmingWhitespace()
        guard !secret.isEmpty else { throw SecretFileError(reason: "\(path) is empty; delete it to generate a new secret") }
        var info = stat()
        let exposed = stat(path, &info) == 0 && (info.st_mode & 0o077) != 0
        return Loaded(secret: secret, created: false, isExposed: exposed)
    }

    /// 32 bytes from the system CSPRNG, as 64 hex digits.
    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}

/// The secret file could not be used.
struct SecretFileError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with the path.
    let reason: String

    var description: String { reason }
}
