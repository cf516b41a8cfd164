// libFuzzer target for HTTPRequestParser. Each input is parsed whole, in two pieces split at an
// input-dependent point, and in small pieces (byte at a time up to 64 bytes, else 1-16 bytes); the
// parts and the final error must be identical, or the target traps. Built by scripts/fuzz.sh with
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
    /// One parsed part: a head as its fields, a body as its bytes (consecutive pieces joined), an
    /// end with its trailer fields (name, value, name, value, ...; nil without trailers).
    enum Part: Equatable {
        case head(method: String, target: String, version: HTTPVersion, fields: [String])
        case body([UInt8])
        case end(trailers: [String]?)
    }
    var parts: [Part] = []
    var error: HTTPParseError?
}

func flatFields(_ headers: HTTPHeaders) -> [String] {
    var fields: [String] = []
    fields.reserveCapacity(headers.count * 2)
    for field in headers {
        fields.append(field.name)
        fields.append(field.value)
    }
    return fields
}

/// Feeds `pieces` one after another, draining `next()` after each, until an error.
func transcript(of pieces: [ByteBuffer]) -> ParseTranscript {
    var parser = HTTPRequestParser(configuration: fuzzConfiguration)
    var result = ParseTranscript()
    var bodyBytes = 0
    for piece in pieces {
        parser.feed(piece)
        do {
            while let part = try parser.next() {
                switch part {
                case .head(let head):
                    precondition(head.headers.count <= fuzzConfiguration.maxHeaderCount)
                    result.parts.append(
                        .head(method: head.method.rawValue, target: head.target, version: head.version, fields: flatFields(head.headers)))
                    bodyBytes = 0
                case .body(let bytes):
                    precondition(bytes.readableBytes > 0, "empty body part")
                    bodyBytes += bytes.readableBytes
                    precondition(bodyBytes <= fuzzConfiguration.maxBodySize, "body above the limit")
                    // Body pieces are joined as bytes: decoding each piece on its own would turn a
                    // UTF-8 sequence split between pieces into different replacement characters.
                    if case .body(var joined)? = result.parts.last {
                        result.parts.removeLast()
                        joined.append(contentsOf: bytes.readableBytesView)
                        result.parts.append(.body(joined))
                    } else {
                        result.parts.append(.body(Array(bytes.readableBytesView)))
                    }
                case .end(let trailers):
                    precondition(trailers.map { !$0.isEmpty } ?? true, "empty trailers instead of nil")
                    result.parts.append(.end(trailers: trailers.map(flatFields)))
                }
            }
        } catch {
            result.error = error
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
    // One buffer for the input; the pieces below are slices of it (no copy, no allocation).
    let bytes = ByteBuffer(bytes: input)
    let whole = transcript(of: [bytes])
    var hash = 5381
    for byte in input { hash = (hash &* 33) ^ Int(byte) }
    let cut = size == 0 ? 0 : Int(UInt(bitPattern: hash) % UInt(size + 1))
    let split = transcript(of: [bytes.getSlice(at: 0, length: cut)!, bytes.getSlice(at: cut, length: size - cut)!])
    if split != whole { fatalError("split at \(cut) changed the result:\n\(whole)\nvs\n\(split)") }
    // Small inputs byte at a time; longer ones in pieces of 1-16 bytes (the size taken from the
    // hash), which covers every split over many inputs at a fraction of the byte-at-a-time cost.
    let step = size <= 64 ? 1 : Int(UInt(bitPattern: hash >> 8) % 16) + 1
    let pieces = stride(from: 0, to: size, by: step).map { bytes.getSlice(at: $0, length: min(step, size - $0))! }
    if transcript(of: pieces) != whole { fatalError("input in pieces of \(step) bytes changed the result") }
    return 0
}

runFuzzer(fuzzOneInput)
