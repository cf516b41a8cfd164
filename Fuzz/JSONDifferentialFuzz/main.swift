// libFuzzer target comparing the one JSON (JavaScriptFormats) with Node.js: every input is parsed
// as session JSON (`JSONValue`, what SessionKit and the Redis store read) and as Socket.IO packet
// JSON (`SocketIOValue`, what the packet decoder reads after a packet's header), both written back
// as `JSON.stringify` would, and compared with `JSON.stringify(JSON.parse(input))` from a
// persistent `node` (Fuzz/Node/json-oracle.js), a batch of inputs at a time. On inputs both accept
// the texts must be identical; inputs one side refuses are counted by kind and judged in
// Docs/PROTOCOLS.md ("Differential fuzzing against Node.js").
import FuzzDriver
import JavaScriptFormats
import SocketIO

func answer(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    let session: [UInt8]
    do {
        session = Array(("O" + (try JSONValue(parsing: input)).jsonString).utf8)
    } catch {
        session = Array(("E" + error.reason).utf8)
    }
    // The Socket.IO instantiation must say exactly what the session one says.
    let packet: String
    do {
        packet = "O" + (try SocketIOValue(parsing: UnsafeRawBufferPointer(input))).description
    } catch {
        packet = "E" + error.reason
    }
    precondition(Array(packet.utf8) == session, "JSONValue and SocketIOValue disagree: \(session) vs \(packet)")
    return session
}

func judge(_ input: [UInt8], _ ours: [UInt8], _ theirs: [UInt8]) -> DifferentialVerdict {
    if ours == theirs { return .agree }
    let oursText = String(decoding: ours, as: UTF8.self)
    let theirsText = String(decoding: theirs, as: UTF8.self)
    switch (ours.first, theirs.first) {
    case (UInt8(ascii: "E"), UInt8(ascii: "E")):
        return .agree  // both refuse; the reasons are worded differently
    case (UInt8(ascii: "O"), UInt8(ascii: "O")) where hasLoneSurrogate(theirsText):
        // A Swift String holds Unicode scalars only: a lone surrogate escape reads as U+FFFD.
        return .differ(category: "lone surrogate escape: we read U+FFFD, Node keeps the surrogate")
    case (UInt8(ascii: "O"), UInt8(ascii: "O")):
        return .mismatch("we write \(oursText.dropFirst()), Node writes \(theirsText.dropFirst())")
    case (UInt8(ascii: "E"), _):
        return .differ(category: "we refuse (\(oursText.dropFirst())), Node accepts")
    default:
        return .differ(category: "we accept, Node refuses (\(genericReason(theirsText.dropFirst())))")
    }
}

/// Whether `JSON.stringify`'s output escapes a lone surrogate (it writes `\udXXX` for nothing else).
func hasLoneSurrogate(_ text: String) -> Bool {
    text.contains("\\ud8") || text.contains("\\ud9") || text.contains("\\uda") || text.contains("\\udb")
        || text.contains("\\udc") || text.contains("\\udd") || text.contains("\\ude") || text.contains("\\udf")
}

/// Node's message without positions and quoted snippets, so one kind of refusal is one category.
func genericReason(_ message: Substring) -> String {
    if message.hasPrefix("Unexpected token") { return "Unexpected token" }
    let cut = message.range(of: " in JSON at position")?.lowerBound ?? message.range(of: ", \"")?.lowerBound ?? message.endIndex
    return String(message[..<cut].prefix(60))
}

// libFuzzer calls the one-input function on one thread only, the only user of the batch.
nonisolated(unsafe) let batch = DifferentialBatch(target: "JSONDifferentialFuzz", oracle: NodeOracle(script: "json-oracle.js"), judge: judge)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    batch.add(Array(input), answer: answer(input))
    return 0
}

runFuzzer(fuzzOneInput)
