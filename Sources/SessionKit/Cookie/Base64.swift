/// Base64 encoding in the two alphabets SessionKit needs, without padding: the standard one
/// (`+`, `/`) used by cookie-signature and the URL-safe one (`-`, `_`) used by session ids.
enum Base64 {
    private static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Standard base64 of `bytes` with every trailing `=` removed.
    static func encodeStandardUnpadded(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encode(bytes, alphabet: standardAlphabet), as: UTF8.self)
    }

    /// Standard base64 of `bytes` without padding, as ASCII bytes.
    static func encodeStandardUnpaddedBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        encode(bytes, alphabet: standardAlphabet)
    }

    /// base64url of `bytes` without padding.
    static func encodeURLSafeUnpadded(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encode(bytes, alphabet: urlAlphabet), as: UTF8.self)
    }

    private static func encode(_ bytes: some Collection<UInt8>, alphabet: [UInt8]) -> [UInt8] {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(alphabet[Int(chunk >> 6 & 63)])
            output.append(alphabet[Int(chunk & 63)])
            index += 3
        }
        let remaining = input.count - index
        if remaining == 1 {
            let chunk = UInt32(input[index]) << 16
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
        } else if remaining == 2 {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(alphabet[Int(chunk >> 6 & 63)])
        }
        return output
    }
}
