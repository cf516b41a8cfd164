import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 request to a server on 127.0.0.1 over a fresh connection, and what came back.
/// A plain NIO client that keeps no cookies of its own: each request sends exactly the `Cookie` given.
struct HTTPExchange: Sendable {
    /// The response status code.
    let status: Int
    /// The response body as text.
    let body: String
    /// The `Set-Cookie` values of the response.
    let setCookies: [String]

    /// The `name=value` part of the first `Set-Cookie`, ready for a `Cookie` header; nil when none was set.
    var cookie: String? {
        setCookies.first.map { String($0.prefix { $0 != ";" }) }
    }

    /// `GET path`, sending `cookie` as the `Cookie` header when given.
    static func get(_ path: String, port: Int, cookie: String? = nil) async throws -> HTTPExchange {
        try await send(path, method: .GET, port: port, cookie: cookie, json: nil)
    }

    /// `POST path` with the JSON text `json` (`Content-Type: application/json`), sending `cookie` when given.
    static func post(_ path: String, port: Int, cookie: String? = nil, json: String) async throws -> HTTPExchange {
        try await send(path, method: .POST, port: port, cookie: cookie, json: json)
    }

    /// `method path` with an optional body of type `contentType`.
    static func send(
        _ path: String, method: HTTPMethod, port: Int, cookie: String?, json: String?
    ) async throws -> HTTPExchange {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
        head.headers.add(name: "Connection", value: "close")
        if let cookie { head.headers.add(name: "Cookie", value: cookie) }
        let body = json.map { ByteBuffer(string: $0) }
        if body != nil { head.headers.add(name: "Content-Type", value: "application/json") }
        if method != .GET { head.headers.add(name: "Content-Length", value: String(body?.readableBytes ?? 0)) }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head))
            if let body { try await outbound.write(.body(.byteBuffer(body))) }
            try await outbound.write(.end(nil))
            var responseHead: HTTPResponseHead?
            var responseBody = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let received):
                    responseHead = received
                case .body(var chunk):
                    responseBody.writeBuffer(&chunk)
                case .end:
                    guard let responseHead else { throw TestSetupError("response without a head") }
                    return HTTPExchange(
                        status: Int(responseHead.status.code), body: String(buffer: responseBody),
                        setCookies: responseHead.headers["Set-Cookie"])
                }
            }
            throw TestSetupError("connection closed before the response ended")
        }
    }
}
