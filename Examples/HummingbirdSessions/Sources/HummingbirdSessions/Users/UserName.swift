/// A user name as `sesior` accepts it (the same rules, so both servers agree on what a name is):
/// trimmed of surrounding white space, 1–32 characters, every one printable (no control, format,
/// line/paragraph separator, private-use, surrogate or unassigned code points, except the
/// zero-width joiner that emoji sequences need).
public struct UserName: Hashable, Sendable, CustomStringConvertible {
    /// The most characters (grapheme clusters) a name may have.
    public static let maximumLength = 32

    /// The validated, trimmed name.
    public let value: String

    /// Validates `raw`.
    ///
    /// - Throws: `APIError` (400) saying what is wrong, safe to show to the client.
    public init(validating raw: String) throws(APIError) {
        let trimmed = Self.trimmed(raw)
        guard !trimmed.isEmpty else { throw APIError(.badRequest, "User name must not be empty") }
        guard trimmed.count <= Self.maximumLength else {
            throw APIError(.badRequest, "User name must be at most \(Self.maximumLength) characters")
        }
        guard trimmed.unicodeScalars.allSatisfy(Self.isPrintable) else {
            throw APIError(.badRequest, "User name must contain only printable characters")
        }
        value = trimmed
    }

    /// The name itself.
    public var description: String { value }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\u{200D}" { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            return false
        default:
            return true
        }
    }

    /// `raw` without leading and trailing white space (Unicode `White_Space`, newlines included).
    private static func trimmed(_ raw: String) -> String {
        let scalars = raw.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
