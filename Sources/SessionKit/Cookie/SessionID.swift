import COpenSSL
import JavaScriptFormats

/// Session ids as express-session makes them (uid-safe's `uid(24)`): 24 bytes from OpenSSL's
/// CSPRNG, base64url without padding — 32 characters of `[A-Za-z0-9_-]`, 192 bits of entropy.
public enum SessionID {
    /// Number of random bytes in an id.
    public static let byteCount = 24

    /// A fresh random session id.
    ///
    /// A CSPRNG failure is unrecoverable for a session system (ids would become guessable), so it
    /// stops the process rather than return a weak id.
    public static func generate() -> String {
        var bytes = [UInt8](repeating: 0, count: byteCount)
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            RAND_bytes(buffer.baseAddress, Int32(buffer.count))
        }
        guard status == 1 else { fatalError("OpenSSL RAND_bytes failed; refusing to create a guessable session id") }
        return Base64.encode(bytes, alphabet: .urlSafe, padding: .none)
    }

    /// Whether `id` has the shape of a generated id (32 characters of base64url).
    public static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }
}
