// WebSocketEchoBenchmark: echo round-trip throughput of SESIOR's websocket-echo-server against
// Node's `ws` echo server, in the same run, with the same Node `ws` client (see run.sh next to
// this file). Prints the key=value lines of run.sh (messages per second for each server and
// scenario, and the sesior/ws ratio).
//
// Usage: WebSocketEchoBenchmark [PATH_TO_websocket-echo-server]
//   (default: run.sh builds the root package's websocket-echo-server in release)
// Environment: CONNECTIONS (default 16), SECONDS_PER_RUN (default 5), NODE_PATH.
import Foundation

let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("run.sh")
let process = Process()
process.executableURL = URL(fileURLWithPath: "/bin/bash")
process.arguments = [script.path] + CommandLine.arguments.dropFirst()
do {
    try process.run()
    process.waitUntilExit()
    exit(process.terminationStatus)
} catch {
    FileHandle.standardError.write(Data("WebSocketEchoBenchmark: cannot run \(script.path): \(error)\n".utf8))
    exit(1)
}
