/// Keys SESIOR keeps in the session (shared with the socket layer).
enum SessionKeys {
    /// The registered user's name (a JSON string), as the original SESIOR stored it.
    static let userName = "userName"
}
