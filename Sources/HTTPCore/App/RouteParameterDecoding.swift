extension PercentDecoding {
    /// A captured route parameter, percent-decoded as `decodeURIComponent` does; `text` is
    /// returned unchanged when an escape is malformed or the result is not valid UTF-8.
    static func decodePathParameter(_ text: Substring) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        return (try? decode(text.utf8, plusIsSpace: false, strict: true)) ?? String(text)
    }
}
