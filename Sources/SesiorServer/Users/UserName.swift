/// A user name as SESIOR accepts it: trimmed of surrounding white space, 1–32 characters, every
/// one printable (no control, format, separator-line, private-use or unassigned code points,
/// except the zero-width joiner that emoji sequences need).
struct UserName: Hashable, Sendable, CustomStringConvertible {
    /// The most characters (grapheme clusters) a name may have.
    static let maximumLength = 32

    /// The validated, trimmed name.
    let value: String

    /// Validates `raw`.
    ///
    /// - Throws: `UserNameError` saying what is wrong, safe to show to the client.
    init(validating raw: String) throws(UserNameError) {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.count <= Self.maximumLength else { throw .tooLong }
        guard trimmed.unicodeScalars.allSatisfy(Self.isPrintable) else { throw .unprintable }
        value = trimmed
    }

    var description: String { value }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\u{200D}" { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            return false
        default:
            return true
        }
    }
}

/// Why a user name was refused (answered with 400 and `reason`).
struct UserNameError: Error, Sendable, Equatable {
    /// A short reason, safe to show to the client.
    let reason: String

    static let empty = UserNameError(reason: "User name must not be empty")
    static let tooLong = UserNameError(reason: "User name must be at most \(UserName.maximumLength) characters")
    static let unprintable = UserNameError(reason: "User name must contain only printable characters")
}

extension String {
    /// The string without leading and trailing white space (Unicode `White_Space`, newlines included).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
