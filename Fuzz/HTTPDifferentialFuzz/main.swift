// libFuzzer target comparing HTTPRequestParser with Node's own parser (llhttp through
// `_http_common`, in a persistent `node` running Fuzz/Node/http-oracle.js, a batch of inputs at a
// time). Each input is one connection's bytes. Every request both sides complete must agree on
// method, target, header fields (names as sent, values trimmed), body and trailers; where one side
// refuses what the other accepts, the kind of refusal is counted and judged in Docs/PROTOCOLS.md
// ("Differential fuzzing against Node.js"): SESIOR is stricter on purpose in known places.
import FuzzDriver
import HTTPCore
import JavaScriptFormats
import NIOCore

/// The same transcript the oracle writes: a JSON line, a newline, then the refusal reason.
func answer(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var parser = HTTPRequestParser()
    parser.feed(ByteBuffer(bytes: input))
    var messages: [JSONValue] = []
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    var reason = ""
    parsing: while true {
        let part: HTTPRequestPart?
        do {
            part = try parser.next()
        } catch {
            reason = error.description
            break
        }
        switch part {
        case nil: break parsing
        case .head(let next)?:
            head = next
            body = []
        case .body(let bytes)?:
            body.append(contentsOf: bytes.readableBytesView)
        case .end(let trailers)?:
            guard let finished = head else { preconditionFailure("end without a head") }
            messages.append([
                .string(finished.method.rawValue), .string(finished.target), fields(finished.headers),
                .string(Base64.encode(body)), trailers.map(fields) ?? [],
            ])
            if finished.isUpgrade || finished.method == .connect { break parsing }
        }
    }
    let transcript: JSONValue = ["messages": .array(messages), "refused": .bool(!reason.isEmpty)]
    return Array((transcript.jsonString + "\n" + reason).utf8)
}

func fields(_ headers: HTTPHeaders) -> JSONValue {
    .array(headers.flatMap { [JSONValue.string($0.name), .string($0.value)] })
}

func judge(_ input: [UInt8], _ ours: [UInt8], _ theirs: [UInt8]) -> DifferentialVerdict {
    let (oursJSON, oursReason) = split(ours)
    let (theirsJSON, theirsReason) = split(theirs)
    guard let mine = try? JSONValue(parsing: oursJSON), let node = try? JSONValue(parsing: theirsJSON),
        let myMessages = mine.objectValue?["messages"]?.arrayValue, let nodeMessages = node.objectValue?["messages"]?.arrayValue
    else { return .mismatch("unreadable transcript: \(theirsJSON)") }
    for (index, (a, b)) in zip(myMessages, nodeMessages).enumerated() where a != b {
        return .mismatch("request \(index): we parse \(a), Node parses \(b)")
    }
    if myMessages.count == nodeMessages.count && oursReason.isEmpty == theirsReason.isEmpty { return .agree }
    let weAreShort = myMessages.count < nodeMessages.count || (myMessages.count == nodeMessages.count && !oursReason.isEmpty)
    if weAreShort {
        let node = nodeMessages.count > myMessages.count ? "Node accepts the request" : "Node waits for more bytes"
        return .differ(category: oursReason.isEmpty ? "we wait for more bytes, \(node)" : "we refuse (\(category(oursReason))), \(node)")
    }
    let ours = myMessages.count > nodeMessages.count ? "we accept the request" : "we wait for more bytes"
    return .differ(category: theirsReason.isEmpty ? "Node waits for more bytes, \(ours)" : "Node refuses (\(theirsReason)), \(ours)")
}

func split(_ answer: [UInt8]) -> (json: String, reason: String) {
    let text = String(decoding: answer, as: UTF8.self)
    guard let newline = text.firstIndex(of: "\n") else { return (text, "") }
    return (String(text[..<newline]), String(text[text.index(after: newline)...]))
}

/// Our error's description without input-dependent detail, so one rule is one category.
func category(_ reason: String) -> String {
    reason.isEmpty ? "waits for more bytes" : String(reason.prefix(80))
}

// libFuzzer calls the one-input function on one thread only, the only user of the batch.
nonisolated(unsafe) let batch = DifferentialBatch(target: "HTTPDifferentialFuzz", oracle: NodeOracle(script: "http-oracle.js"), judge: judge)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    batch.add(Array(input), answer: answer(input))
    return 0
}

runFuzzer(fuzzOneInput)
