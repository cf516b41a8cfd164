// Measures HTTPRequestParser throughput on a realistic browser GET request (~500 bytes): each run
// parses the request repeatedly for about `seconds`, and the median of the runs is printed as one
// machine-readable line: `parser_mb_per_s=… requests_per_s=… wall_mb_per_s=… request_bytes=… runs=…`.
// Rates are per second of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so a busy machine
// does not distort them; `wall_mb_per_s` is the same median measured by the wall clock.
// Usage: HTTPParserBenchmark [seconds-per-run (default 2)] [runs (default 5)]
import Dispatch
import HTTPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

let request = [
    "GET /api/rooms/42/messages?since=1732700000&limit=50 HTTP/1.1",
    "Host: chat.example.com",
    "Connection: keep-alive",
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Accept: application/json, text/plain, */*",
    "Accept-Language: en-US,en;q=0.9,fr;q=0.8",
    "Accept-Encoding: gzip, deflate, br, zstd",
    "Referer: https://chat.example.com/rooms/42",
    "Cookie: connect.sid=s%3AQ2xkRmVnLk1hY2hpbmUuU2Vzc2lvbg.b1Gx0tF2kz8c3E4bYpQmR7uN9vW5aJdL6sHfT0iXyZo; theme=dark",
    "Sec-Fetch-Dest: empty",
    "Sec-Fetch-Mode: cors",
    "Sec-Fetch-Site: same-origin",
    "",
    "",
].joined(separator: "\r\n")

let arguments = CommandLine.arguments
let secondsPerRun = arguments.count > 1 ? Double(arguments[1]) ?? 2 : 2
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
let requestBuffer = ByteBuffer(string: request)
let batch = 1000

/// Nanoseconds of CPU time this thread has used.
func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Parses the request `batch` times per round until `seconds` of CPU time pass; returns requests
/// per CPU second and per wall-clock second.
func measure(seconds: Double) -> (cpu: Double, wall: Double) {
    let requestBuffer = requestBuffer
    let batch = batch
    var parser = HTTPRequestParser()
    var parsed = 0
    var checksum = 0
    let wallStart = DispatchTime.now().uptimeNanoseconds
    let start = threadCPUNanoseconds()
    let deadline = start + UInt64(seconds * 1e9)
    var now = start
    while now < deadline {
        for _ in 0..<batch {
            parser.feed(requestBuffer)
            while let part = try! parser.next() {
                if case .head(let head) = part { checksum &+= head.headers.count }
            }
        }
        parsed += batch
        now = threadCPUNanoseconds()
    }
    let wall = DispatchTime.now().uptimeNanoseconds - wallStart
    precondition(checksum == parsed * 11, "unexpected parse result")
    return (Double(parsed) / (Double(now - start) / 1e9), Double(parsed) / (Double(wall) / 1e9))
}

_ = measure(seconds: 0.2)
let results = (0..<runs).map { _ in measure(seconds: secondsPerRun) }
let median = results.map(\.cpu).sorted()[results.count / 2]
let wallMedian = results.map(\.wall).sorted()[results.count / 2]
let requestBytes = Double(requestBuffer.readableBytes)
print(
    "parser_mb_per_s=\(String(format: median * requestBytes / 1e6)) requests_per_s=\(Int(median)) "
        + "wall_mb_per_s=\(String(format: wallMedian * requestBytes / 1e6)) "
        + "request_bytes=\(requestBuffer.readableBytes) runs=\(runs)")

func String(format value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
