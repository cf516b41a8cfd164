/// A parsed route path such as `/users/:id/files/*`.
///
/// Segments are matched one by one against the request path split at `/` (empty segments are
/// ignored, so `/a/` matches `/a`). A `:name` segment captures one segment into
/// `parameters["name"]`; a `*` segment captures one segment, or, as the last segment, the whole
/// rest of the path (zero or more segments, slashes kept) into `parameters["*"]`. Captured values
/// are percent-decoded. Other segments match as written, ASCII letters in either case unless the
/// router is `caseSensitive`; a trailing `/` counts only in a `strict` router (see `RouterOptions`).
public struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case wildcard
    }

    let segments: [Segment]
    /// Whether the pattern ends in `/` after a segment, as `/users/` (only a strict router looks).
    let hasTrailingSlash: Bool
    /// The names this pattern captures, in order, each once (for the router's parameter handlers).
    let parameterNames: [String]

    /// Parses `path`.
    public init(_ path: String) {
        segments = path.split(separator: "/").map { part in
            if part == "*" { return .wildcard }
            if part.first == ":" && part.count > 1 { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
        hasTrailingSlash = path.hasSuffix("/") && !segments.isEmpty
        var names: [String] = []
        for segment in segments {
            let name: String
            switch segment {
            case .literal: continue
            case .parameter(let parameter): name = parameter
            case .wildcard: name = "*"
            }
            if !names.contains(name) { names.append(name) }
        }
        parameterNames = names
    }

    /// The pattern as written with a leading `/`, e.g. `/users/:id`.
    public var description: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(let name): ":" + name
            case .wildcard: "*"
            }
        }.joined(separator: "/")
    }

    /// Whether the pattern matches the whole of `path` (the request path split at `/`, `fullPath`
    /// the string its segments are slices of, which ends where the request path ends); captures
    /// are added to `parameters` on success (and may be on failure: pass a scratch copy).
    func match(
        _ path: ArraySlice<Substring>, in fullPath: Substring, options: RouterOptions,
        into parameters: inout [String: String]
    ) -> Bool {
        let caseSensitive = options.contains(.caseSensitive)
        guard matchPrefix(path, in: fullPath, caseSensitive: caseSensitive, into: &parameters) == path.endIndex else {
            return false
        }
        guard options.contains(.strict), segments.last != .wildcard else { return true }
        // Below a mount point the path is at least `/`, which has no trailing slash of its own.
        let pathHasTrailingSlash = !path.isEmpty && fullPath.utf8.last == UInt8(ascii: "/")
        return pathHasTrailingSlash == hasTrailingSlash
    }

    /// Matches a prefix of `path`; returns the index of the first unmatched segment, or nil.
    /// Captures are added to `parameters` only on success.
    func matchPrefix(
        _ path: ArraySlice<Substring>, in fullPath: Substring, caseSensitive: Bool,
        into parameters: inout [String: String]
    ) -> Int? {
        var index = path.startIndex
        var captured: [(String, String)] = []
        for (position, segment) in segments.enumerated() {
            let isLast = position == segments.count - 1
            switch segment {
            case .wildcard where isLast:
                let rest = index < path.endIndex ? fullPath[path[index].startIndex...] : ""
                captured.append(("*", PercentDecoding.decodePathParameter(rest)))
                index = path.endIndex
                continue
            default:
                break
            }
            guard index < path.endIndex else { return nil }
            let part = path[index]
            switch segment {
            case .literal(let text):
                guard caseSensitive ? part == text : Self.equalIgnoringASCIICase(part, text) else { return nil }
            case .parameter(let name):
                captured.append((name, PercentDecoding.decodePathParameter(part)))
            case .wildcard:
                captured.append(("*", PercentDecoding.decodePathParameter(part)))
            }
            index += 1
        }
        for (name, value) in captured { parameters[name] = value }
        return index
    }

    /// Whether `part` and `text` have the same bytes once ASCII letters are folded to lower case.
    static func equalIgnoringASCIICase(_ part: Substring, _ text: String) -> Bool {
        let left = part.utf8
        let right = text.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            let lower = a | 0x20
            guard lower == b | 0x20, lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") else { return false }
        }
        return true
    }
}
