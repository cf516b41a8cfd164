import HTTPCore
import NIOCore
import SocketIO
import Testing

/// A minimal Engine.IO polling client that talks to an `EngineIOServer` in-process (no
/// network): handshake, POST packets, GET what the server sent.
struct ServerPollingClient {
    let engine: EngineIOServer
    let sid: String

    /// One request straight to `engine`: its status and body text (empty for a streamed body).
    static func request(
        _ engine: EngineIOServer, _ method: HTTPMethod, _ target: String, body: String = ""
    ) async throws -> (status: Int, body: String) {
        let request = Request(head: HTTPRequestHead(method: method, target: target), body: ByteBuffer(string: body))
        let response = try await engine.handle(request) { _ in Response(status: .notFound) }
        guard case .bytes(let bytes) = response.body else { return (response.status.code, "") }
        return (response.status.code, String(buffer: bytes))
    }

    /// Opens an Engine.IO session without joining a namespace.
    static func open(_ engine: EngineIOServer, headers: HTTPHeaders = [:]) async throws -> ServerPollingClient {
        let request = Request(
            head: HTTPRequestHead(method: .get, target: "/socket.io/?EIO=4&transport=polling", headers: headers))
        let response = try await engine.handle(request) { _ in Response(status: .notFound) }
        guard case .bytes(let bytes) = response.body else { throw CancellationError() }
        let open = String(buffer: bytes)
        let start = open.index(open.startIndex, offsetBy: 9)
        let sid = String(open[start..<(open[start...].firstIndex(of: "\"") ?? open.endIndex)])
        return ServerPollingClient(engine: engine, sid: sid)
    }

    /// Opens a session and joins the main namespace; returns once the CONNECT reply arrived.
    static func connect(_ engine: EngineIOServer, headers: HTTPHeaders = [:]) async throws -> ServerPollingClient {
        let client = try await open(engine, headers: headers)
        try await client.post("40")
        let reply = try await client.poll()
        #expect(reply.hasPrefix(#"40{"sid":""#))
        return client
    }

    /// POSTs packets (joined with the record separator).
    func post(_ packets: String...) async throws {
        let response = try await Self.request(
            engine, .post, "/socket.io/?EIO=4&transport=polling&sid=\(sid)", body: packets.joined(separator: "\u{1e}"))
        #expect(response.body == "ok")
    }

    /// One GET: the packets the server had or sends next, without pings (answered so the
    /// session stays alive); "" when the GET carried only a ping (pingInterval passed).
    func pollOnce() async throws -> String {
        let body = try await Self.request(engine, .get, "/socket.io/?EIO=4&transport=polling&sid=\(sid)").body
        let packets = body.split(separator: "\u{1e}", omittingEmptySubsequences: false)
        if packets.contains("2") { try await post("3") }
        return packets.filter { $0 != "2" }.joined(separator: "\u{1e}")
    }

    /// GETs until something other than a ping arrives (at most 5 GETs); returns it.
    func poll() async throws -> String {
        for _ in 0..<5 {
            let packets = try await pollOnce()
            if !packets.isEmpty { return packets }
        }
        return ""
    }
}
