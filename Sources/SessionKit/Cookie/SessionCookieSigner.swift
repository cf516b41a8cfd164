import COpenSSL
import JavaScriptFormats

/// Signs and verifies cookie values in node's cookie-signature format, over OpenSSL's HMAC-SHA256.
///
/// `sign(value)` is `value + "." + base64(HMAC_SHA256(secret, value))` with the standard alphabet
/// and no `=` padding. Verification splits at the last `.`, re-signs the part before it with each
/// secret and compares in constant time (lengths first). Signing uses the first secret; any secret
/// verifies, so secrets can be rotated by putting the new one first.
///
/// A pure value: no I/O, no clock, safe to share.
public struct SessionCookieSigner: Sendable, Hashable {
    /// The secrets, newest first; never empty.
    public let secrets: [String]
    /// One keyed HMAC context per secret (nil only when OpenSSL cannot provide HMAC-SHA256; the
    /// one-shot `HMAC()` is used then).
    private let keys: [HMACSHA256Key?]

    /// A signer over `secrets` (the first signs, any verifies).
    ///
    /// - Precondition: `secrets` is not empty.
    public init(secrets: [String]) {
        precondition(!secrets.isEmpty, "a session cookie signer needs at least one secret")
        self.secrets = secrets
        self.keys = secrets.map { HMACSHA256Key(key: Array($0.utf8)) }
    }

    /// A signer with a single secret.
    public init(secret: String) {
        self.init(secrets: [secret])
    }

    /// Two signers are equal when they have the same secrets in the same order.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.secrets == rhs.secrets
    }

    /// Hashes the secrets.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(secrets)
    }

    /// `value` signed with the first secret: `value.signature`.
    public func sign(_ value: String) -> String {
        value + "." + Base64.encode(mac(value, secretIndex: 0), padding: .none)
    }

    /// The value inside `signed` if one of the secrets produced its signature, else nil.
    public func unsign(_ signed: String) -> String? {
        let utf8 = signed.utf8
        guard let dot = utf8.lastIndex(of: UInt8(ascii: ".")) else { return nil }
        let value = String(decoding: utf8[..<dot], as: UTF8.self)
        let signature = utf8[utf8.index(after: dot)...]
        for index in secrets.indices {
            var expected: [UInt8] = []
            Base64.encode(mac(value, secretIndex: index), padding: .none, into: &expected)
            if Self.constantTimeEqual(expected, signature) { return value }
        }
        return nil
    }

    /// `value` signed with `secret` in cookie-signature's format.
    public static func sign(_ value: String, secret: String) -> String {
        value + "." + Base64.encode(hmacSHA256(key: Array(secret.utf8), message: Array(value.utf8)), padding: .none)
    }

    /// HMAC-SHA256 of `value` under secret number `secretIndex`.
    private func mac(_ value: String, secretIndex: Int) -> [UInt8] {
        if let key = keys[secretIndex] { return key.authenticate(value) }
        return Self.hmacSHA256(key: Array(secrets[secretIndex].utf8), message: Array(value.utf8))
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes), computed by OpenSSL's one-shot `HMAC()`.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // OpenSSL wants a non-null key pointer even for an empty key.
        let keyBytes = key.isEmpty ? [0] : key
        let keyLength = Int32(key.count)
        let result = keyBytes.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                digest.withUnsafeMutableBufferPointer { digestBuffer in
                    HMAC(
                        EVP_sha256(), keyBuffer.baseAddress, keyLength,
                        messageBuffer.baseAddress, messageBuffer.count,
                        digestBuffer.baseAddress, &length)
                }
            }
        }
        precondition(result != nil && length == 32, "OpenSSL HMAC-SHA256 failed")
        return Array(digest.prefix(Int(length)))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }
}
