import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every port `RedisServer.freePort()` has returned in this process.
private let portsHandedOut = Mutex<Set<Int>>([])

extension RedisServer {
    /// Starts `arguments[0]` with `arguments`, stdout and stderr appended to `log`.
    static func spawn(_ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the test process: NIO's sockets are not close-on-exec, and a server
        // holding a copy of a test client's socket keeps it open after the client closes it (the
        // peer then never sees the close).
        closeInheritedDescriptors(&actions)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // The test runner's threads may block or ignore signals; give the server a clean slate
        // so SIGTERM stops it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard status == 0 else { throw RedisServerError("cannot start \(arguments[0]): errno \(status)") }
        return pid
    }

    /// Adds actions closing every descriptor from 3 up: glibc's `posix_spawn_file_actions_addclosefrom_np`
    /// (2.34+, not in Swift's Glibc module, so looked up), else a close of each descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 && fcntl(descriptor, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    /// Whether child `pid` has exited (and is now reaped).
    static func reap(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid || (result < 0 && errno == ECHILD)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago and that no earlier server of this
    /// process has had. The kernel hands a just-released port out again; a client of an earlier
    /// test that is still reconnecting to its stopped server would then join the new server and
    /// show up in its `CLIENT LIST`.
    static func freePort() throws -> Int {
        for _ in 0..<100 {
            let port = try unusedKernelPort()
            let isNew = portsHandedOut.withLock { $0.insert(port).inserted }
            if isNew { return port }
        }
        throw RedisServerError("no TCP port on 127.0.0.1 that this process has not used before")
    }

    /// A port bound to port 0 and then released.
    private static func unusedKernelPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RedisServerError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw RedisServerError("bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw RedisServerError("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `answersPing` on a thread of its own: its blocking socket calls must not hold up the
    /// concurrency pool that the code under test runs on.
    static func probe(port: Int) async -> Bool {
        await blockingCall { answersPing(port: port) }
    }

    /// Whether something on `port` answers a RESP `PING` (`+PONG`, or an error such as `-NOAUTH`).
    static func answersPing(port: Int) -> Bool {
        let reply = firstReplyBytes(port: port, inlineCommand: "PING")
        return reply.first == UInt8(ascii: "+") || reply.first == UInt8(ascii: "-")
    }

    /// Sends one inline command to the server on `port` and returns the first bytes of its reply
    /// (at most 64, from one read; enough for a status line or an array's length); empty when
    /// nothing answers within a second.
    static func firstReplyBytes(port: Int, inlineCommand: String) -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return [] }
        let command = Array("\(inlineCommand)\r\n".utf8)
        guard write(fd, command, command.count) == command.count else { return [] }
        var reply = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &reply, reply.count)
        return count > 0 ? Array(reply[..<count]) : []
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
