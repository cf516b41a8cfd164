import COpenSSL
import JavaScriptFormats

/// The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key` (RFC 6455 §4.2.2):
/// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
public func webSocketAcceptValue(forKey key: String) -> String {
    let input = Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)
    var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
    var length: UInt32 = 0
    let ok = input.withUnsafeBytes { source in
        digest.withUnsafeMutableBytes { output in
            EVP_Digest(source.baseAddress, source.count, output.baseAddress!.assumingMemoryBound(to: UInt8.self),
                       &length, EVP_sha1(), nil)
        }
    }
    precondition(ok == 1 && length == SHA_DIGEST_LENGTH, "SHA-1 failed")
    return Base64.encode(digest)
}
