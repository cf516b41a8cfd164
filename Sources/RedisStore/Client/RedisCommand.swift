/// A Redis command: its name and arguments as binary-safe byte strings.
public struct RedisCommand: Sendable, Hashable {
    /// The name followed by the arguments, e.g. `["SET", "k", "v"]` as bytes.
    public var arguments: [[UInt8]]

    /// A command from raw byte arguments (the name first).
    public init(arguments: [[UInt8]]) {
        precondition(!arguments.isEmpty, "a Redis command needs at least its name")
        self.arguments = arguments
    }

    /// A command from text arguments (the name first), sent as UTF-8.
    public init(_ arguments: [String]) {
        self.init(arguments: arguments.map { Array($0.utf8) })
    }

    /// The command name, for error messages.
    public var name: String { String(decoding: arguments[0], as: UTF8.self) }
}
