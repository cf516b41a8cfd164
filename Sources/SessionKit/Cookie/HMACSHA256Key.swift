import COpenSSL
import Foundation

/// One HMAC-SHA256 key whose OpenSSL key schedule is computed once and reused for every message.
///
/// OpenSSL 3's one-shot `HMAC()` fetches the MAC and the digest by name, allocates three digest
/// contexts and hashes the padded key on every call. Here a keyed template context is built once;
/// each call takes a keyed context from a small pool (a copy of the template when the pool is
/// empty), re-initializes it with the same key (`EVP_MAC_init` without a key restores the hashed
/// pads) and puts it back. Results are identical to `HMAC(EVP_sha256(), key, …)`.
final class HMACSHA256Key: @unchecked Sendable {
    // Invariant that makes @unchecked Sendable safe: `template` and `idle` are only touched while
    // `lock` is held; a context taken out of `idle` belongs to exactly one caller until it is put
    // back, and the contexts are freed only in `deinit`, when no caller can hold one.
    private let lock = NSLock()
    private let template: OpaquePointer
    private var idle: [OpaquePointer] = []
    /// Idle contexts kept beyond this are freed (one per concurrent caller is enough).
    private static let maximumIdle = 16

    /// The keyed template for `key`, or nil when OpenSSL cannot provide HMAC-SHA256.
    init?(key: [UInt8]) {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { return nil }
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { return nil }
        // OpenSSL wants a non-null key pointer even for an empty key.
        let keyBytes = key.isEmpty ? [0] : key
        // An OSSL_PARAM keeps the pointers to its key and value: both C strings must outlive
        // EVP_MAC_init (a Swift string literal passed straight in is a temporary, freed before).
        let initialized = "digest".withCString { parameterName in
            "SHA256".withCString { digestName in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(parameterName, UnsafeMutablePointer(mutating: digestName), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return keyBytes.withUnsafeBufferPointer { keyBuffer in
                    EVP_MAC_init(context, keyBuffer.baseAddress, key.count, &parameters)
                }
            }
        }
        guard initialized == 1 else {
            EVP_MAC_CTX_free(context)
            return nil
        }
        template = context
    }

    deinit {
        for context in idle { EVP_MAC_CTX_free(context) }
        EVP_MAC_CTX_free(template)
    }

    /// HMAC-SHA256 of `message` (32 bytes).
    func authenticate(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        let context = checkOut()
        defer { checkIn(context) }
        var length = 0
        var empty: UInt8 = 0
        return [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            let bytes = message.baseAddress?.assumingMemoryBound(to: UInt8.self)
            let ok = withUnsafePointer(to: &empty) { emptyPointer in
                EVP_MAC_init(context, nil, 0, nil) == 1
                    && EVP_MAC_update(context, bytes ?? emptyPointer, message.count) == 1
                    && EVP_MAC_final(context, buffer.baseAddress, &length, 32) == 1
            }
            precondition(ok && length == 32, "OpenSSL HMAC-SHA256 failed")
            count = 32
        }
    }

    /// HMAC-SHA256 of the UTF-8 bytes of `message`.
    func authenticate(_ message: String) -> [UInt8] {
        var message = message
        return message.withUTF8 { authenticate(UnsafeRawBufferPointer($0)) }
    }

    private func checkOut() -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        if let context = idle.popLast() { return context }
        guard let copy = EVP_MAC_CTX_dup(template) else { fatalError("OpenSSL could not copy an HMAC context") }
        return copy
    }

    private func checkIn(_ context: OpaquePointer) {
        lock.lock()
        if idle.count < Self.maximumIdle {
            idle.append(context)
            lock.unlock()
        } else {
            lock.unlock()
            EVP_MAC_CTX_free(context)
        }
    }
}
