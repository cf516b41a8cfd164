extension Request {
    /// Whether the `Content-Type` media type (parameters such as `charset` ignored) equals
    /// `mediaType`, ASCII case-insensitively.
    func hasContentType(_ mediaType: String) -> Bool {
        guard let contentType = headers["Content-Type"] else { return false }
        let essence = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return HTTPHeaders.namesEqual(String(essence.trimmingCharacters(in: " \t")), mediaType)
    }
}
