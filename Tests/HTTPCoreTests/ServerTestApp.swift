import NIOCore

@testable import HTTPCore

/// The application the wire-level tests talk to.
enum ServerTestApp {
    struct Boom: Error {}

    /// - Parameter started: called when a `/delay/:ms` handler begins.
    static func make(started: @escaping @Sendable () -> Void = {}) -> App {
        var app = App()
        app.get("/hello") { _ in .text("hello") }
        app.get("/delay/:ms") { request in
            let ms = Int(request.parameters["ms"] ?? "0") ?? 0
            started()
            try await Task.sleep(for: .milliseconds(ms))
            return .text(String(ms))
        }
        app.post("/echo") { request in
            Response(headers: ["Content-Type": "application/octet-stream"], body: .bytes(request.body))
        }
        app.get("/throw") { _ in throw Boom() }
        app.get("/forbidden") { _ in throw HTTPError(.forbidden, reason: "no way") }
        app.get("/stream") { _ in
            Response(body: .stream { writer in
                for part in ["one,", "two,", "three"] {
                    try await writer.write(ByteBuffer(string: part))
                    try await Task.sleep(for: .milliseconds(5))
                }
            })
        }
        app.get("/big-stream") { _ in
            Response(body: .stream { writer in
                let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
                for _ in 0..<64 { try await writer.write(chunk) }
            })
        }
        app.get("/echo-upgrade") { _ in
            var response = Response(
                status: .switchingProtocols, headers: ["Connection": "Upgrade", "Upgrade": "echo"])
            response.upgrade = HTTPUpgrade { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
            return response
        }
        return app
    }
}

/// Writes back every byte it receives (the protocol installed by the upgrade test).
final class EchoHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }
}
