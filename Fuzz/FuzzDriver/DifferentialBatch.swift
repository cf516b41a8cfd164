// DifferentialBatch: batches a differential target's inputs for its NodeOracle and judges each
// pair of answers. Agreement is silent; a known class of difference (one side refuses what the
// other accepts, judged in Docs/PROTOCOLS.md) is counted and its first example is written to
// fuzz-artifacts/<target>-differences.txt; a disagreement on an input both sides accept is a bug:
// the input is written to fuzz-artifacts/<target>-mismatch-<hash> and the target traps.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a differential target's judge says about one input's two answers.
public enum DifferentialVerdict {
    /// Both sides answered the same.
    case agree
    /// A known class of difference, named by `category` (e.g. "we refuse, Node accepts: ...").
    case differ(category: String)
    /// Both sides accepted the input and disagree on what it means.
    case mismatch(String)
}

/// Inputs waiting for the oracle, with this side's answer to each; judged a batch at a time.
public final class DifferentialBatch {
    /// Judges one input: its bytes, this side's answer and the oracle's.
    public typealias Judge = (_ input: [UInt8], _ ours: [UInt8], _ theirs: [UInt8]) -> DifferentialVerdict

    private let target: String
    private let oracle: NodeOracle
    private let capacity: Int
    private let judge: Judge
    private var inputs: [[UInt8]] = []
    private var answers: [[UInt8]] = []
    private var categories: [String: Int] = [:]
    private var judged = 0

    /// A batch for `target` that asks `oracle` every `capacity` inputs (and once more at exit).
    public init(target: String, oracle: NodeOracle, capacity: Int = 512, judge: @escaping Judge) {
        self.target = target
        self.oracle = oracle
        self.capacity = capacity
        self.judge = judge
        inputs.reserveCapacity(capacity)
        answers.reserveCapacity(capacity)
        registerAtExit(self)
    }

    /// Queues `input` with this side's `answer`; judges the batch when it is full.
    public func add(_ input: [UInt8], answer: [UInt8]) {
        inputs.append(input)
        answers.append(answer)
        if inputs.count >= capacity { flush() }
    }

    /// Asks the oracle about every queued input and judges the answers.
    public func flush() {
        guard !inputs.isEmpty else { return }
        let theirs = oracle.ask(inputs)
        for index in inputs.indices {
            switch judge(inputs[index], answers[index], theirs[index]) {
            case .agree: break
            case .differ(let category): record(category, example: inputs[index])
            case .mismatch(let reason):
                let path = artifactPath("mismatch-\(fingerprint(inputs[index]))")
                writeFile(path, inputs[index])
                fatalError("\(target): Node disagrees on an input both accept (\(path)): \(reason)")
            }
        }
        judged += inputs.count
        inputs.removeAll(keepingCapacity: true)
        answers.removeAll(keepingCapacity: true)
    }

    /// Flushes and prints how many inputs were compared and how often each difference occurred.
    func finish() {
        flush()
        var report = "== \(target): \(judged) inputs compared with Node, \(categories.count) kinds of difference\n"
        for (category, count) in categories.sorted(by: { $0.key < $1.key }) { report += "  \(count)\t\(category)\n" }
        _ = report.withCString { write(2, $0, strlen($0)) }
    }

    private func record(_ category: String, example: [UInt8]) {
        let seen = categories[category, default: 0]
        categories[category] = seen + 1
        guard seen == 0 else { return }
        let line = category + "\t" + escaped(example) + "\n"
        guard let file = fopen(artifactPath("differences.txt"), "a") else { return }
        fputs(line, file)
        fclose(file)
    }

    private func artifactPath(_ suffix: String) -> String {
        let directory = getenv("FUZZ_ARTIFACTS").map { String(cString: $0) } ?? "fuzz-artifacts"
        mkdir(directory, 0o755)
        return "\(directory)/\(target)-\(suffix)"
    }
}

/// The example input as one line: printable ASCII as is, every other byte as `\xHH`.
private func escaped(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var text = ""
    for byte in bytes.prefix(400) {
        if byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\\") {
            text.append(Character(Unicode.Scalar(byte)))
        } else {
            text += "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
        }
    }
    return bytes.count > 400 ? text + "..." : text
}

private func fingerprint(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 14_695_981_039_346_656_037
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
    return String(hash, radix: 16)
}

private func writeFile(_ path: String, _ bytes: [UInt8]) {
    guard let file = fopen(path, "wb") else { return }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}

// The fuzzer runs inputs on one thread and calls exit handlers on it too, so the list of batches
// to finish at exit is only touched from that thread.
nonisolated(unsafe) private var batchesToFinish: [DifferentialBatch] = []

private func registerAtExit(_ batch: DifferentialBatch) {
    if batchesToFinish.isEmpty { atexit { batchesToFinish.forEach { $0.finish() } } }
    batchesToFinish.append(batch)
}
