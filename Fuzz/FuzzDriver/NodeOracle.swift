// NodeOracle: a persistent `node` child process that answers batches of fuzz inputs, so a
// differential target compares thousands of inputs per second with Node.js instead of spawning a
// process per input. The protocol (Fuzz/Node/oracle-protocol.js) is length-prefixed binary on the
// child's stdin and stdout: a request batch is `count` then `count` items, the reply is one item
// per request, in order; every number is a little-endian UInt32.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `node` process running one oracle script from Fuzz/Node, asked in batches.
///
/// The fuzzer calls its one-input function on one thread only, so the oracle is not `Sendable`.
public final class NodeOracle {
    private let process: pid_t
    private let requests: CInt
    private let replies: CInt
    private var received: [UInt8] = []

    /// Starts `node Fuzz/Node/<script>`; traps if `node` cannot be started (a differential target
    /// without its oracle would fuzz nothing).
    public init(script: String) {
        let root = String(#filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/"))
        let path = root + "/Fuzz/Node/" + script
        var toChild: [CInt] = [0, 0]
        var fromChild: [CInt] = [0, 0]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { fatalError("NodeOracle: pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        for descriptor in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("node"), strdup(path)]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, "node", &actions, nil, arguments + [nil], environ)
        guard status == 0 else { fatalError("NodeOracle: cannot start node (\(status))") }
        close(toChild[0])
        close(fromChild[1])
        signal(SIGPIPE, SIG_IGN)
        process = pid
        requests = toChild[1]
        replies = fromChild[0]
    }

    deinit {
        close(requests)
        close(replies)
        var status: CInt = 0
        waitpid(process, &status, 0)
    }

    /// Sends `batch` and returns Node's answer to each item, in order. Traps if Node exits or
    /// answers out of protocol, so a broken oracle is a visible failure, never silent agreement.
    public func ask(_ batch: [[UInt8]]) -> [[UInt8]] {
        var message: [UInt8] = []
        message.reserveCapacity(4 + batch.reduce(0) { $0 + 4 + $1.count })
        Self.appendLength(batch.count, to: &message)
        for item in batch {
            Self.appendLength(item.count, to: &message)
            message.append(contentsOf: item)
        }
        writeAll(message)
        var answers: [[UInt8]] = []
        answers.reserveCapacity(batch.count)
        var offset = 0
        while answers.count < batch.count {
            while received.count - offset < 4 { fill() }
            let length = Self.readLength(received, at: offset)
            while received.count - offset < 4 + length { fill() }
            answers.append(Array(received[(offset + 4)..<(offset + 4 + length)]))
            offset += 4 + length
        }
        received.removeFirst(offset)
        return answers
    }

    private func writeAll(_ bytes: [UInt8]) {
        var written = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let count = write(requests, raw.baseAddress! + written, raw.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { fatalError("NodeOracle: node stopped reading (errno \(errno))") }
                written += count
            }
        }
    }

    private func fill() {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { read(replies, $0.baseAddress!, $0.count) }
        if count < 0 && errno == EINTR { return }
        guard count > 0 else { fatalError("NodeOracle: node exited or closed its output") }
        received.append(contentsOf: chunk[..<count])
    }

    private static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        let value = UInt32(length)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func readLength(_ bytes: [UInt8], at offset: Int) -> Int {
        (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }
}
