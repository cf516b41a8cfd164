/// A user name as SESIOR accepts it: trimmed of surrounding white space, 1–32 characters, every
/// one printable (no control, format, line/paragraph separator, private-use, surrogate or
/// unassigned code points, except the zero-width joiner that emoji sequences need).
///
/// `sesior` and the Hummingbird example both validate with this type, so every server on one
/// Redis agrees on what a name is.
public struct UserName: Hashable, Sendable, CustomStringConvertible {
    /// The most characters (grapheme clusters) a name may have.
    public static let maximumLength = 32

    /// The validated, trimmed name.
    public let value: String

    /// Validates `raw`.
    ///
    /// - Throws: `UserNameError` saying what is wrong, safe to show to the client.
    public init(validating raw: String) throws(UserNameError) {
        let trimmed = Self.trimmed(raw)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.count <= Self.maximumLength else { throw .tooLong }
        guard trimmed.unicodeScalars.allSatisfy(Self.isPrintable) else { throw .unprintable }
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

/// Why a user name was refused (servers answer it with 400 and `reason`).
public struct UserNameError: Error, Sendable, Equatable {
    /// A short reason, safe to show to the client.
    public let reason: String

    /// The name is empty once trimmed.
    public static let empty = UserNameError(reason: "User name must not be empty")
    /// The name has more than `UserName.maximumLength` characters.
    public static let tooLong = UserNameError(reason: "User name must be at most \(UserName.maximumLength) characters")
    /// The name holds a character that is not printable.
    public static let unprintable = UserNameError(reason: "User name must contain only printable characters")
}
