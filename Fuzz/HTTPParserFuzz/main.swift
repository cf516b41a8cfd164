// libFuzzer target for HTTPRequestParser. Each input is parsed whole, in two pieces split at an
// input-dependent point, and (for small inputs) byte at a time; the parts and the final error must
// be identical, or the target traps. Built by scripts/fuzz.sh with
// `-sanitize=fuzzer,address -DFUZZING`; without FUZZING it is a plain executable that links
// without libFuzzer.
import FuzzDriver
import HTTPCore
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small limits so the fuzzer reaches the 413/414/431 paths quickly.
let fuzzConfiguration = HTTPParserConfiguration(
    maxRequestLineLength: 256, maxHeaderSectionSize: 512, maxHeaderCount: 16, maxBodySize: 1024)

/// Everything the parser produced for one input: parts (body pieces merged) and the final error.
struct ParseTranscript: Equatable {
    /// One parsed part: a head or end as text, a body as its bytes (consecutive pieces joined).
    enum Part: Equatable {
        case text(String)
        case body([UInt8])
    }
    var parts: [Part] = []
    var error: String?
}

/// Feeds `pieces` one after another, draining `next()` after each, until an error.
func transcript(of pieces: [UnsafeBufferPointer<UInt8>]) -> ParseTranscript {
    var parser = HTTPRequestParser(configuration: fuzzConfiguration)
    var result = ParseTranscript()
    var bodyBytes = 0
    for piece in pieces {
        parser.feed(ByteBuffer(bytes: piece))
        do {
            while let part = try parser.next() {
                switch part {
                case .head(let head):
                    let fields = head.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
                    precondition(head.headers.count <= fuzzConfiguration.maxHeaderCount)
                    result.parts.append(.text("head \(head.method) \(head.target) \(head.version)\n\(fields)"))
                    bodyBytes = 0
                case .body(let bytes):
                    precondition(bytes.readableBytes > 0, "empty body part")
                    bodyBytes += bytes.readableBytes
                    precondition(bodyBytes <= fuzzConfiguration.maxBodySize, "body above the limit")
                    // Body pieces are joined as bytes: decoding each piece on its own would turn a
                    // UTF-8 sequence split between pieces into different replacement characters.
                    if case .body(let joined)? = result.parts.last {
                        result.parts[result.parts.count - 1] = .body(joined + Array(bytes.readableBytesView))
                    } else {
                        result.parts.append(.body(Array(bytes.readableBytesView)))
                    }
                case .end(let trailers):
                    precondition(trailers.map { !$0.isEmpty } ?? true, "empty trailers instead of nil")
                    result.parts.append(.text("end \(trailers.map { $0.description } ?? "-")"))
                }
            }
        } catch {
            result.error = error.description
            // A broken parser keeps failing with the same error.
            do {
                _ = try parser.next()
                preconditionFailure("parser recovered after an error")
            } catch let again {
                precondition(again == error, "a different error after the first one")
            }
            return result
        }
    }
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let whole = transcript(of: [input])
    var hash = 5381
    for byte in input { hash = (hash &* 33) ^ Int(byte) }
    let cut = size == 0 ? 0 : Int(UInt(bitPattern: hash) % UInt(size + 1))
    let split = transcript(of: [UnsafeBufferPointer(rebasing: input[..<cut]), UnsafeBufferPointer(rebasing: input[cut...])])
    if split != whole { fatalError("split at \(cut) changed the result:\n\(whole)\nvs\n\(split)") }
    if size <= 256 {
        let pieces = (0..<size).map { UnsafeBufferPointer(rebasing: input[$0..<($0 + 1)]) }
        if transcript(of: pieces) != whole { fatalError("byte-at-a-time input changed the result") }
    }
    return 0
}

runFuzzer(fuzzOneInput)
