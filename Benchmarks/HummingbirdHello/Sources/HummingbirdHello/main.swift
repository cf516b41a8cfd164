// A Hummingbird 2 hello-world, the peer of `sesior`'s plain route in scripts/bench.sh.
// Usage: hummingbird-hello [--host 127.0.0.1] [--port 8080]
// Answers `GET /health` with 200 and the body `{"status":"ok"}` (Content-Type application/json),
// built once and reused, like a constant route of `sesior`. No logging per request.
import Hummingbird
import Logging
import NIOCore

/// The value following `flag` on the command line, if any.
func argument(_ flag: String) -> String? {
    let args = CommandLine.arguments
    guard let index = args.firstIndex(of: flag), index + 1 < args.count else { return nil }
    return args[index + 1]
}

let host = argument("--host") ?? "127.0.0.1"
let port = argument("--port").flatMap(Int.init) ?? 8080

let body = ByteBuffer(string: #"{"status":"ok"}"#)
let router = Router()
router.get("health") { _, _ -> Response in
    Response(
        status: .ok,
        headers: [.contentType: "application/json; charset=utf-8"],
        body: ResponseBody(byteBuffer: body)
    )
}

var logger = Logger(label: "hummingbird-hello")
logger.logLevel = .warning
let app = Application(
    router: router,
    configuration: .init(address: .hostname(host, port: port), serverName: "Hummingbird"),
    logger: logger
)
try await app.runService()
