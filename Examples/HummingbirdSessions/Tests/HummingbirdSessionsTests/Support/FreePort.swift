import NIOCore
import NIOPosix

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
enum FreePort {
    static func pick() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        guard let port = channel.localAddress?.port else { throw TestSetupError("no local port after binding port 0") }
        return port
    }
}
