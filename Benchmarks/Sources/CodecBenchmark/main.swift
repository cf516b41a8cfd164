// Measures the JSON codecs on the hot paths: a connect-redis session decoded and encoded by
// SessionKit, and Socket.IO packets decoded and encoded by SocketIO. Each case runs a fixed number
// of operations per round, for several rounds after one warm-up round, timed with ContinuousClock;
// one line per case gives the median and the minimum ns/op over the rounds:
// `case=<name> ns_per_op=<median> min_ns_per_op=<min> iterations=<n> rounds=<r>`.
// Every case's result is checked once before it is timed (the decoded session holds the user's
// name, an encoded text equals the expected text); a wrong result or a case timed at 0 ns exits 1.
//
// Usage: CodecBenchmark [--iterations N (default 20000)] [--rounds R (default 7)] [--filter TEXT]
// Each case runs N × its weight operations per round (the large packet has weight 1/5). With
// `--rounds 1` the program runs exactly 2 × N × weight operations of each selected case, which is
// what an instruction count (valgrind --tool=callgrind) at two values of N subtracts.
import SessionKit
import SocketIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One timed operation and the check of its result.
struct BenchmarkCase {
    var name: String
    /// Fraction of `--iterations` this case runs per round (heavier cases run fewer).
    var weight: Double
    /// Returns a description of what is wrong with the result, or nil when it is right.
    var check: () throws -> String?
    /// Runs the operation `iterations` times.
    var run: (_ iterations: Int) throws -> Void
}

/// Keeps `value` alive and observable so the optimizer cannot drop the work that produced it.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {}

// MARK: - Inputs

let sessionText =
    #"{"cookie":{"originalMaxAge":86400000,"expires":"2026-12-07T21:00:00.000Z","secure":false,"httpOnly":true,"#
    + #""path":"/","sameSite":"lax"},"userName":"alice","visits":3,"prefs":{"theme":"dark","langs":["en","fr"]}}"#
let sessionBytes = Array(sessionText.utf8)

let renamePacket = #"2["user:rename",{"userName":"alice"}]"#
let chatPacket = #"21["chat",{"text":"hello world","room":"lobby","ts":1733512345678}]"#
let roomStatePacket: String = {
    let members = (1...20).map { index in
        #"{"id":\#(index),"name":"user\#(index)","online":\#(index % 3 != 0),"score":\#(index * 17)}"#
    }
    return #"2["room:state",{"room":"lobby","owner":{"id":"u_1","name":"alice","roles":["admin","mod"]},"#
        + #""members":[\#(members.joined(separator: ","))],"updatedAt":1733512345678}]"#
}()

// MARK: - Cases

func checkSession(_ session: SessionData) -> String? {
    guard session["userName"]?.stringValue == "alice" else { return "userName is not alice" }
    guard session["visits"]?.numberValue == 3 else { return "visits is not 3" }
    guard session.cookie.httpOnly == true, session.cookie.path == "/" else { return "cookie not read" }
    return nil
}

func decodePacket(_ text: String) throws -> SocketIOPacket {
    var decoder = SocketIOPacketDecoder()
    guard let packet = try decoder.decode(text: text) else { throw CheckFailure("\(text) yielded no packet") }
    return packet
}

struct CheckFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func packetDecodeCase(_ name: String, _ text: String, weight: Double, expectedEvent: String, id: UInt64?)
    -> BenchmarkCase
{
    BenchmarkCase(
        name: name, weight: weight,
        check: {
            let packet = try decodePacket(text)
            guard packet.eventName == expectedEvent else { return "event name \(packet.eventName ?? "nil")" }
            guard packet.id == id else { return "ack id \(packet.id.map(String.init) ?? "nil")" }
            guard packet.arguments.count == 1, packet.arguments[0].objectValue != nil else { return "arguments" }
            return nil
        },
        run: { iterations in
            var decoder = SocketIOPacketDecoder()
            for _ in 0..<iterations { blackHole(try decoder.decode(text: text)) }
        })
}

func packetEncodeCase(_ name: String, _ text: String, weight: Double) throws -> BenchmarkCase {
    let packet = try decodePacket(text)
    return BenchmarkCase(
        name: name, weight: weight,
        check: {
            let encoded = SocketIOPacketEncoder.encode(packet).text
            return encoded == text ? nil : "encoded \(encoded)"
        },
        run: { iterations in
            for _ in 0..<iterations { blackHole(SocketIOPacketEncoder.encode(packet)) }
        })
}

let session = try SessionData(jsonString: sessionText)
let cases: [BenchmarkCase] = [
    BenchmarkCase(
        name: "session.decode.bytes", weight: 1,
        check: { checkSession(try SessionData(jsonBytes: sessionBytes)) },
        run: { iterations in
            for _ in 0..<iterations { blackHole(try SessionData(jsonBytes: sessionBytes)) }
        }),
    BenchmarkCase(
        name: "session.decode.string", weight: 1,
        check: { checkSession(try SessionData(jsonString: sessionText)) },
        run: { iterations in
            for _ in 0..<iterations { blackHole(try SessionData(jsonString: sessionText)) }
        }),
    BenchmarkCase(
        name: "session.encode", weight: 1,
        check: { session.jsonString == sessionText ? nil : "encoded \(session.jsonString)" },
        run: { iterations in
            for _ in 0..<iterations { blackHole(session.jsonString) }
        }),
    packetDecodeCase("socketio.decode.rename", renamePacket, weight: 1, expectedEvent: "user:rename", id: nil),
    packetDecodeCase("socketio.decode.chat", chatPacket, weight: 1, expectedEvent: "chat", id: 1),
    packetDecodeCase("socketio.decode.room-state", roomStatePacket, weight: 0.2, expectedEvent: "room:state", id: nil),
    try packetEncodeCase("socketio.encode.rename", renamePacket, weight: 1),
    try packetEncodeCase("socketio.encode.chat", chatPacket, weight: 1),
    try packetEncodeCase("socketio.encode.room-state", roomStatePacket, weight: 0.2),
]

// MARK: - Running

var iterations = 20_000
var rounds = 7
var filter: String?
var argumentIterator = CommandLine.arguments.dropFirst().makeIterator()
while let argument = argumentIterator.next() {
    switch argument {
    case "--iterations": iterations = argumentIterator.next().flatMap { Int($0) } ?? iterations
    case "--rounds": rounds = argumentIterator.next().flatMap { Int($0) } ?? rounds
    case "--filter": filter = argumentIterator.next()
    default:
        print("usage: CodecBenchmark [--iterations N] [--rounds R] [--filter TEXT]")
        exit(2)
    }
}

let clock = ContinuousClock()
var failed = false
for benchmark in cases where filter.map({ benchmark.name.contains($0) }) ?? true {
    do {
        if let problem = try benchmark.check() {
            print("case=\(benchmark.name) FAILED: \(problem)")
            failed = true
            continue
        }
        let count = max(1, Int(Double(iterations) * benchmark.weight))
        try benchmark.run(count)  // warm-up
        var nanosecondsPerOp: [Double] = []
        for _ in 0..<rounds {
            let elapsed = try clock.measure { try benchmark.run(count) }
            let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            nanosecondsPerOp.append(nanoseconds / Double(count))
        }
        nanosecondsPerOp.sort()
        let median = nanosecondsPerOp[nanosecondsPerOp.count / 2]
        guard median > 0 else {
            print("case=\(benchmark.name) FAILED: measured 0 ns/op")
            failed = true
            continue
        }
        let formatted = (median * 10).rounded() / 10
        let minimum = (nanosecondsPerOp[0] * 10).rounded() / 10
        print("case=\(benchmark.name) ns_per_op=\(formatted) min_ns_per_op=\(minimum) iterations=\(count) rounds=\(rounds)")
    } catch {
        print("case=\(benchmark.name) FAILED: \(error)")
        failed = true
    }
}
exit(failed ? 1 : 0)
