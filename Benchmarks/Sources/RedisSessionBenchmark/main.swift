// RedisSessionBenchmark: session reads per second through RedisSessionStore.
//
// Starts nothing: point it at a running redis-server. It seeds one session (express-session
// JSON, `SET sess:<id> … EX`), then N tasks read it with `RedisSessionStore.get` (GET + JSON
// decode) for the given time, and prints `redis_session_reads_per_s=N`.
//
//   RedisSessionBenchmark --url redis://127.0.0.1:PORT --concurrency 50 --seconds 5 [--connections 4]
//
// Compare with `redis-benchmark -t get -c 50 -p PORT -q` on the same server (same concurrency).
import Foundation
import RedisStore
import SessionKit

struct Options {
    var url = "redis://127.0.0.1:6379"
    var concurrency = 50
    var seconds = 5.0
    var connections = 4

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { Self.usage("missing value for \(flag)") }
            switch flag {
            case "--url": url = value
            case "--concurrency": concurrency = Self.number(value, flag)
            case "--seconds": seconds = Self.number(value, flag)
            case "--connections": connections = Self.number(value, flag)
            default: Self.usage("unknown option \(flag)")
            }
        }
        if concurrency < 1 || seconds <= 0 || connections < 1 { Self.usage("values must be positive") }
    }

    static func number<T: LosslessStringConvertible>(_ text: String, _ flag: String) -> T {
        guard let value = T(text) else { usage("bad value for \(flag): \(text)") }
        return value
    }

    static func usage(_ problem: String) -> Never {
        FileHandle.standardError.write(Data("""
            \(problem)
            usage: RedisSessionBenchmark --url redis://HOST:PORT [--concurrency 50] [--seconds 5] [--connections 4]

            """.utf8))
        exit(64)
    }
}

let options = Options(CommandLine.arguments)
var configuration = try RedisConfiguration(url: options.url)
configuration.minimumConnections = options.connections
configuration.maximumConnections = options.connections
let pool = RedisConnectionPool(configuration: configuration)
let store = RedisSessionStore(client: pool)

let id = SessionID.generate()
var cookie = SessionCookie()
cookie.setMaxAge(86_400_000, now: Date())
let seeded = SessionData(cookie: cookie, values: ["userName": "alice", "visits": 3, "roles": ["member"]])
try await store.set(id, seeded)
guard try await store.get(id) == seeded else {
    FileHandle.standardError.write(Data("the seeded session did not read back\n".utf8))
    exit(1)
}

let duration = Duration.milliseconds(Int(options.seconds * 1000))
let clock = ContinuousClock()
let start = clock.now
let deadline = start + duration
let reads = try await withThrowingTaskGroup(of: Int.self) { group in
    for _ in 0..<options.concurrency {
        group.addTask {
            var count = 0
            while clock.now < deadline {
                guard try await store.get(id) != nil else { throw SessionStoreError.failed("session vanished") }
                count += 1
            }
            return count
        }
    }
    var total = 0
    for try await count in group { total += count }
    return total
}
let elapsed = clock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
try await store.destroy(id)
await pool.close()
print("redis_session_reads_per_s=\(Int((Double(reads) / seconds).rounded()))")
