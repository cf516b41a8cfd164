import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// One HTTP response as received on the wire.
struct TestResponse: Sendable {
    var status: Int
    /// Header fields in order, names as sent.
    var headers: [(name: String, value: String)]
    var body: String
    /// Bytes received after the body: a second answer to the same request would show up here.
    var trailing: String = ""

    /// The first value of header `name` (case-insensitive).
    func header(_ name: String) -> String? { values(name).first }

    /// Every value of header `name` (case-insensitive).
    func values(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The `name=value` part of the first Set-Cookie, to send back as `Cookie`.
    var cookie: String? { header("Set-Cookie").map { String($0.prefix { $0 != ";" }) } }

    /// The body parsed as a JSON object.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// A minimal HTTP/1.1 client for end-to-end tests: one request per connection
/// (`Connection: close`), the response read until the server closes.
enum HTTPTestClient {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = NIOLockedValueBox(ByteBuffer())
        let done: EventLoopPromise<ByteBuffer>

        init(done: EventLoopPromise<ByteBuffer>) { self.done = done }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var chunk = unwrapInboundIn(data)
            _ = bytes.withLockedValue { $0.writeBuffer(&chunk) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            done.succeed(bytes.withLockedValue { $0 })
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            done.fail(error)
            context.close(promise: nil)
        }
    }

    /// Sends one request to `127.0.0.1:port` and returns the response.
    static func send(
        _ method: String, _ path: String, port: Int, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> TestResponse {
        let group = MultiThreadedEventLoopGroup.singleton
        let done = group.any().makePromise(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(done: done))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
        head += "\r\n" + (body ?? "")
        try await channel.writeAndFlush(ByteBuffer(string: head))
        let received = try await done.futureResult.get()
        return try parse(String(buffer: received))
    }

    /// JSON POST helper.
    static func postJSON(_ path: String, port: Int, json: String, cookie: String? = nil) async throws -> TestResponse {
        var headers = [("Content-Type", "application/json")]
        if let cookie { headers.append(("Cookie", cookie)) }
        return try await send("POST", path, port: port, headers: headers, body: json)
    }

    /// GET helper.
    static func get(_ path: String, port: Int, cookie: String? = nil) async throws -> TestResponse {
        try await send("GET", path, port: port, headers: cookie.map { [("Cookie", $0)] } ?? [])
    }

    struct MalformedResponse: Error { let text: String }

    private static func parse(_ text: String) throws -> TestResponse {
        guard let split = text.range(of: "\r\n\r\n") else { throw MalformedResponse(text: text) }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw MalformedResponse(text: text) }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = String(text[split.upperBound...])
        var trailing = ""
        if let length = headers.first(where: { $0.name.lowercased() == "content-length" }).flatMap({ Int($0.value) }) {
            let bytes = Array(body.utf8)
            body = String(decoding: bytes.prefix(length), as: UTF8.self)
            trailing = String(decoding: bytes.dropFirst(length), as: UTF8.self)
        }
        return TestResponse(status: status, headers: headers, body: body, trailing: trailing)
    }
}
