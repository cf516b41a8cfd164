import NIOCore

@testable import HTTPCore

/// A comparable picture of one parsed part; consecutive body pieces are merged, since how a body
/// is cut into pieces depends on how the input was split.
enum ParsedPart: Equatable, CustomStringConvertible {
    case head(method: String, target: String, version: String, headers: [[String]])
    case body(String)
    case end(trailers: [[String]]?)

    init(_ part: HTTPRequestPart) {
        switch part {
        case .head(let head):
            self = .head(
                method: head.method.rawValue, target: head.target, version: head.version.description,
                headers: head.headers.map { [$0.name, $0.value] })
        case .body(let bytes):
            self = .body(String(decoding: bytes.readableBytesView, as: UTF8.self))
        case .end(let trailers):
            self = .end(trailers: trailers.map { $0.map { [$0.name, $0.value] } })
        }
    }

    var description: String {
        switch self {
        case .head(let method, let target, let version, let headers): "head(\(method) \(target) \(version) \(headers))"
        case .body(let text): "body(\(text.debugDescription))"
        case .end(let trailers): "end(\(String(describing: trailers)))"
        }
    }
}

/// Feeds `chunks` one after another, draining `next()` after each, and returns every part.
func parseParts(
    _ chunks: [[UInt8]], configuration: HTTPParserConfiguration = .init()
) throws(HTTPParseError) -> [ParsedPart] {
    var parser = HTTPRequestParser(configuration: configuration)
    var parts: [ParsedPart] = []
    for chunk in chunks {
        parser.feed(ByteBuffer(bytes: chunk))
        while let part = try parser.next() {
            let parsed = ParsedPart(part)
            if case .body(let more) = parsed, case .body(let earlier) = parts.last {
                parts[parts.count - 1] = .body(earlier + more)
            } else {
                parts.append(parsed)
            }
        }
    }
    return parts
}

/// `bytes` cut into single bytes.
func byteAtATime(_ bytes: [UInt8]) -> [[UInt8]] { bytes.map { [$0] } }

/// The status of the error parsing `chunks` throws, or nil if it parses.
func parseFailureStatus(_ chunks: [[UInt8]], configuration: HTTPParserConfiguration = .init()) -> Int? {
    do {
        _ = try parseParts(chunks, configuration: configuration)
        return nil
    } catch {
        return error.status.code
    }
}

extension String {
    /// The UTF-8 bytes of this string.
    var bytes: [UInt8] { Array(utf8) }
}

/// The exhaustive check of the parser's word-at-a-time scans against their byte-at-a-time
/// definition: every byte value at every position of runs of each length, at offsets 0–3.
enum ByteScanCheck {
    /// How many inputs `scan` answers differently from the first byte `isValid` refuses.
    ///
    /// - Parameters:
    ///   - lengths: run lengths to try (around the scan's word boundaries).
    ///   - filler: a valid byte that fills the run around the byte under test.
    ///   - isValid: the byte-at-a-time definition.
    ///   - scan: the scan under test, given the run and its offset; answers the index it stopped at.
    static func mismatches(
        lengths: [Int], filler: UInt8, isValid: (UInt8) -> Bool, scan: ([UInt8], _ offset: Int) -> Int
    ) -> Int {
        var mismatches = 0
        for length in lengths {
            for offset in 0..<4 {
                for position in 0..<length {
                    for byte in UInt8.min...UInt8.max {
                        var run = [UInt8](repeating: filler, count: length)
                        run[position] = byte
                        let expected = run.firstIndex { !isValid($0) } ?? length
                        if scan(run, offset) != expected { mismatches += 1 }
                    }
                }
            }
        }
        return mismatches
    }
}
