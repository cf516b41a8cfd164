// SocketIOFanoutClient: the load client of the Socket.IO broadcast fan-out benchmark
// (scripts/bench.sh `fanout`), a Swift twin of Benchmarks/peers/fanout_client.py with the same
// protocol, the same measurement and the same key=value output, written on NIO so that the
// client takes less CPU per delivery away from the server under test (about 20–25% less than
// the Python one on uvloop; most of the rest is the kernel's receive path).
//
// Opens N WebSocket clients speaking Engine.IO v4 / Socket.IO v5 directly, plus one control
// client. The control client emits `fanout` with `{"seq":k,"pad":"…"}`; the server must emit
// `fanout` with that argument to every socket; broadcast k + 1 is sent when all N clients got k
// (or at the timeout). The first --warmup broadcasts are not measured.
import ArgumentParser
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

@main
struct SocketIOFanoutClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "SocketIOFanoutClient",
        abstract: "Socket.IO broadcast fan-out load client (same protocol and output as fanout_client.py).")

    @Option(help: "Server base URL, e.g. http://127.0.0.1:3002.") var url: String
    @Option(help: "A second instance's base URL: every other client connects there (the control client stays on --url).")
    var secondUrl: String?
    @Option(help: "The second instance's process, whose CPU time is added to --server-pid's (0: none).")
    var secondServerPid = 0
    @Option(help: "Clients receiving the broadcasts.") var clients = 1000
    @Option(help: "Measured broadcasts.") var broadcasts = 20
    @Option(help: "Broadcasts before the measured ones.") var warmup = 3
    @Option(help: "Event-loop threads of the client.") var threads = 1
    @Option(help: "Bytes of padding in every broadcast.") var padBytes = 64
    @Option(help: "Cookie header sent on every handshake.") var cookie = ""
    @Option(help: "Measure this process's CPU time during the broadcasts (0: none).") var serverPid = 0
    @Option(help: "Handshakes at a time.") var connectConcurrency = 50
    @Option(help: "Seconds per broadcast.") var timeout = 10.0
    @Option(help: "Seconds between connecting and the first broadcast.") var settle = 1.0

    func run() async throws {
        Self.raiseFileLimit()
        guard let (host, port) = Self.hostPort(url) else { throw ValidationError("bad --url \(url)") }
        let second = try secondUrl.map { url in
            guard let address = Self.hostPort(url) else { throw ValidationError("bad --second-url \(url)") }
            return address
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let collector = DeliveryCollector()
        let started = NIODeadline.now()
        var channels: [any Channel] = []
        var errors: [String] = []
        var next = 0
        while next < clients {
            let batch = min(connectConcurrency, clients - next)
            let first = next
            let results = await withTaskGroup(of: Result<any Channel, any Error>.self) { tasks in
                for index in first..<(first + batch) {
                    let (host, port) = index % 2 == 1 ? (second ?? (host, port)) : (host, port)
                    tasks.addTask {
                        await Self.connect(group: group, host: host, port: port, cookie: cookie) { payload, time in
                            if let seq = Self.fanoutSeq(payload) { collector.record(seq: seq, time: time) }
                        }
                    }
                }
                return await tasks.reduce(into: []) { $0.append($1) }
            }
            for result in results {
                switch result {
                case .success(let channel): channels.append(channel)
                case .failure(let error): errors.append("\(error)")
                }
            }
            next += batch
        }
        let connected = channels.count
        collector.expect(clients: connected)
        for error in errors.prefix(3) { Self.log("# connect error: \(error)") }
        Self.log("# \(connected) clients connected in \(Self.seconds(since: started)) s (\(errors.count) failed)")

        let control = try await Self.connect(group: group, host: host, port: port, cookie: cookie) { _, _ in }.get()
        try await Task.sleep(for: .seconds(settle))
        let pad = String(repeating: "x", count: padBytes)
        let serverCPUStart = serverPid > 0 ? Self.serversCPUSeconds(serverPid, secondServerPid) : nil
        let ownCPUStart = Self.ownCPUSeconds()
        var latencies: [Double] = []
        var completions: [Double] = []
        var late: [Int] = []
        for seq in 0..<(warmup + broadcasts) {
            let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout * 1e9))
            let done = collector.completion(of: seq, on: control.eventLoop, deadline: deadline)
            let emitted = NIODeadline.now().uptimeNanoseconds
            let packet = #"42["fanout",{"seq":\#(seq),"pad":"\#(pad)"}]"#
            control.writeAndFlush(EngineIOClientHandler.clientFrame(Array(packet.utf8), allocator: control.allocator), promise: nil)
            let complete = (try? await done.get()) ?? false
            if !complete { Self.log("# broadcast \(seq): timeout") }
            guard seq >= warmup else { continue }
            guard complete else {
                late.append(seq)
                continue
            }
            let times = collector.times(of: seq)
            latencies.append(contentsOf: times.map { Double($0 &- emitted) / 1e6 })
            completions.append(Double(times.max()! &- emitted) / 1e9)
        }
        let serverCPUEnd = serverPid > 0 ? Self.serversCPUSeconds(serverPid, secondServerPid) : nil
        let ownCPU = Self.ownCPUSeconds() - ownCPUStart
        try? await Task.sleep(for: .milliseconds(200))  // late deliveries still counted
        let lost = late.reduce(0) { $0 + connected - collector.times(of: $1).count }
        for channel in channels + [control] { channel.close(promise: nil) }
        try? await Task.sleep(for: .milliseconds(100))
        try await group.shutdownGracefully()

        latencies.sort()
        let deliveries = completions.count * connected
        let busy = completions.reduce(0, +)
        print("fanout_clients=\(connected)")
        print("fanout_connect_errors=\(errors.count)")
        print("fanout_broadcasts=\(completions.count)")
        print("fanout_msgs_per_s=\(busy > 0 ? String(Int((Double(deliveries) / busy).rounded())) : "nan")")
        print("fanout_p50_ms=\(Self.fixed(Self.percentile(latencies, 0.50)))")
        print("fanout_p99_ms=\(Self.fixed(Self.percentile(latencies, 0.99)))")
        print("fanout_complete_p50_ms=\(Self.fixed(Self.median(completions) * 1000))")
        print("fanout_lost=\(lost)")
        print("fanout_client_loop=nio")
        let sent = (warmup + broadcasts) * connected
        if sent > 0 {
            print("fanout_client_cpu_us_per_delivery=\(Self.fixed(ownCPU / Double(sent) * 1e6, digits: 1))")
            if let start = serverCPUStart, let end = serverCPUEnd {
                print("fanout_server_cpu_us_per_delivery=\(Self.fixed((end - start) / Double(sent) * 1e6, digits: 1))")
            }
        }
        if connected != clients || lost != 0 || completions.count != broadcasts { throw ExitCode(1) }
    }

    /// Connects one client and waits for its Socket.IO connect.
    static func connect(
        group: MultiThreadedEventLoopGroup, host: String, port: Int, cookie: String,
        onEvent: @escaping @Sendable (ByteBufferView, UInt64) -> Void
    ) async -> Result<any Channel, any Error> {
        let loop = group.next()
        let connected = loop.makePromise(of: Void.self)
        do {
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(30))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(EngineIOClientHandler(
                            host: host, port: port, cookie: cookie, connected: connected, onEvent: onEvent))
                    }
                }
                .connect(host: host, port: port).get()
            do {
                try await connected.futureResult.get()
            } catch {
                channel.close(promise: nil)
                throw error
            }
            return .success(channel)
        } catch {
            connected.fail(error)
            return .failure(error)
        }
    }

    /// The `seq` of a packet `42["fanout",{"seq":N,…}]`, else nil.
    static func fanoutSeq(_ packet: ByteBufferView) -> Int? {
        let prefix = #"42["fanout",{"seq":"#.utf8
        guard packet.starts(with: prefix) else { return nil }
        var value = 0
        var digits = 0
        for byte in packet.dropFirst(prefix.count) {
            guard byte >= 48 && byte <= 57 else { break }
            value = value * 10 + Int(byte - 48)
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    static func hostPort(_ url: String) -> (String, Int)? {
        var rest = Substring(url)
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            rest = rest[rest.index(colon, offsetBy: 3)...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]) else {
            return rest.isEmpty ? nil : (String(rest), 80)
        }
        return (String(rest[..<colon]), port)
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let index = min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded()) - 1))
        return sorted[index]
    }

    /// The median (the mean of the two middle values for an even count), as Python's statistics.median.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func fixed(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return "nan" }
        let scale = digits == 1 ? 10.0 : 100.0
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(abs(scaled % Int(scale)))
        return "\(scaled < 0 && whole == 0 ? "-" : "")\(whole)."
            + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    static func seconds(since start: NIODeadline) -> String {
        fixed(Double((NIODeadline.now() - start).nanoseconds) / 1e9, digits: 1)
    }

    static func log(_ line: String) {
        var line = line + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// CPU time (user + system, all threads) of another process, from /proc; nil if unknown.
    /// The CPU seconds of `pid` and, when not 0, of `second` together.
    static func serversCPUSeconds(_ pid: Int, _ second: Int) -> Double? {
        guard let first = processCPUSeconds(pid) else { return nil }
        guard second > 0 else { return first }
        return processCPUSeconds(second).map { first + $0 }
    }

    static func processCPUSeconds(_ pid: Int) -> Double? {
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return nil }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = fread(&bytes, 1, bytes.count, file)
        let text = String(decoding: bytes[0..<count], as: UTF8.self)
        guard let paren = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: paren)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU time of this process (all threads).
    static func ownCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Lifts the soft open-file limit to the hard one: 1,000+ sockets need more than 1,024.
    static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
