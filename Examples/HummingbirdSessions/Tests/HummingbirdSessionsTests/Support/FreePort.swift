import NIOCore
import NIOPosix

/// Free ports and listening checks on 127.0.0.1, without blocking the concurrency pool.
enum FreePort {
    /// A TCP port that was free a moment ago (bound to port 0, then released).
    static func pick() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try? await channel.close()
        guard let port else { throw TestSetupError("no local port after binding port 0") }
        return port
    }

    /// Whether something accepts TCP connections on `port`.
    static func isListening(_ port: Int) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(200))
                .connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port)).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }
}
