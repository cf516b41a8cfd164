/// A parsed route path such as `/users/:id/files/*`.
///
/// Segments are matched one by one against the request path split at `/` (empty segments are
/// ignored, so `/a/` matches `/a`). A `:name` segment captures one segment into
/// `parameters["name"]`; a `*` segment captures one segment, or, as the last segment, the whole
/// rest of the path (zero or more segments, slashes kept) into `parameters["*"]`. Captured values
/// are percent-decoded. Other segments match exactly (case-sensitive).
public struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case wildcard
    }

    let segments: [Segment]

    /// Parses `path`.
    public init(_ path: String) {
        segments = path.split(separator: "/").map { part in
            if part == "*" { return .wildcard }
            if part.first == ":" && part.count > 1 { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
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

    /// Whether the pattern matches the whole of `path` (the request path split at `/`); captures
    /// are added to `parameters` only on success.
    func match(_ path: ArraySlice<Substring>, in fullPath: Substring, into parameters: inout [String: String]) -> Bool {
        matchPrefix(path, in: fullPath, into: &parameters).map { $0 == path.endIndex } ?? false
    }

    /// Matches a prefix of `path`; returns the index of the first unmatched segment, or nil.
    /// Captures are added to `parameters` only on success.
    func matchPrefix(
        _ path: ArraySlice<Substring>, in fullPath: Substring, into parameters: inout [String: String]
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
                guard part == text else { return nil }
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
}
