/// How a `Router` matches paths and hands parameters down: the options of Express's
/// `express.Router({ caseSensitive, strict, mergeParams })`, all off by default as there.
///
/// ```swift
/// var users = Router(options: [.mergeParams])
/// users.get("/") { request in .text(request.parameters["team"] ?? "") }
/// app.use("/teams/:team/users", users)
/// ```
public struct RouterOptions: OptionSet, Sendable, Hashable {
    /// The options as bits.
    public let rawValue: UInt8

    /// The options with these bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Literal segments of routes and mount paths match with case (`/Users` is then not `/users`).
    /// Off by default: ASCII letters match either case, as Express's `caseSensitive: false`.
    public static let caseSensitive = RouterOptions(rawValue: 1 << 0)

    /// A route matches a request path only when both end in `/` or neither does (`/users/` is then
    /// not `/users`). Off by default: a trailing slash is ignored. Mount paths (`use(prefix, …)`)
    /// ignore it either way, as in Express.
    public static let strict = RouterOptions(rawValue: 1 << 1)

    /// The router's layers also see the parameters captured by the path it is mounted at (and those
    /// its parent saw), e.g. `:team` of `/teams/:team/users`; its own captures win on a name clash.
    /// Off by default: a mounted router's layers see only their own captures.
    public static let mergeParams = RouterOptions(rawValue: 1 << 2)
}
