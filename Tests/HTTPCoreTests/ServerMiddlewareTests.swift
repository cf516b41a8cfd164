import Foundation
import Testing

@testable import HTTPCore

@Suite("Built-in middleware over TCP")
struct ServerMiddlewareTests {
    static func corsApp() -> App {
        var app = App()
        app.use(
            CORSMiddleware(
                allowedOrigins: .list(["http://app.test"]), allowCredentials: true,
                allowedMethods: [.get, .put, .post, .delete], allowedHeaders: ["Content-Type"]))
        app.get("/data") { _ in .json(encoded: #"{"ok":true}"#) }
        return app
    }

    @Test func corsPreflightWithCredentialsThenRequest() async throws {
        try await withTestServer(Self.corsApp()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send(
                "OPTIONS /data HTTP/1.1\r\nHost: x\r\nOrigin: http://app.test\r\n"
                    + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n\r\n")
            let preflight = try #require(try await client.readResponse())
            #expect(preflight.code == 204)
            #expect(preflight.header("Access-Control-Allow-Origin") == "http://app.test")
            #expect(preflight.header("Access-Control-Allow-Credentials") == "true")
            #expect(preflight.header("Access-Control-Allow-Methods") == "GET, PUT, POST, DELETE")
            #expect(preflight.header("Access-Control-Allow-Headers") == "Content-Type")
            #expect(preflight.header("Vary")?.contains("Origin") == true)
            #expect(preflight.header("Connection") == nil)

            try await client.send("GET /data HTTP/1.1\r\nHost: x\r\nOrigin: http://app.test\r\n\r\n")
            let actual = try #require(try await client.readResponse())
            #expect(actual.code == 200)
            #expect(actual.body == #"{"ok":true}"#)
            #expect(actual.header("Access-Control-Allow-Origin") == "http://app.test")
            #expect(actual.header("Access-Control-Allow-Credentials") == "true")
        }
    }

    @Test func corsPreflightFromUnknownOriginIsRefused() async throws {
        try await withTestServer(Self.corsApp()) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send(
                "OPTIONS /data HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.test\r\nAccess-Control-Request-Method: PUT\r\n\r\n")
            let response = try #require(try await client.readResponse())
            #expect(response.code == 403)
            #expect(response.header("Access-Control-Allow-Origin") == nil)
            #expect(response.body.hasPrefix(#"{"error":"#))
        }
    }

    /// A temporary folder with `index.html`, `a.txt` and a 200 KiB `big.bin`.
    static func makeSite() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sesior-static-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("<h1>home</h1>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("alpha".utf8).write(to: root.appendingPathComponent("a.txt"))
        let big = Data((0..<(200 * 1024)).map { UInt8(ascii: "a") + UInt8($0 % 26) })
        try big.write(to: root.appendingPathComponent("big.bin"))
        return root
    }

    @Test func staticFilesWithConditionalRequests() async throws {
        let root = try Self.makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        var app = App()
        app.use(StaticFileMiddleware(root: root.path, streamingThreshold: 16 * 1024))
        try await withTestServer(app) { _, port in
            let client = try await RawClient.connect(port: port)
            try await client.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            let file = try #require(try await client.readResponse())
            #expect(file.code == 200)
            #expect(file.body == "alpha")
            let etag = try #require(file.header("ETag"))

            try await client.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: \(etag)\r\n\r\n")
            let notModified = try #require(try await client.readResponse())
            #expect(notModified.code == 304)
            #expect(notModified.body == "")

            try await client.send("HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try #require(try await client.readResponse(forHead: true))
            #expect(head.header("Content-Length") == "5")

            try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse()?.body == "<h1>home</h1>")

            try await client.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            let big = try #require(try await client.readResponse(timeout: .seconds(5)))
            #expect(big.header("Content-Length") == String(200 * 1024))
            #expect(!big.wasChunked)
            #expect(big.body.utf8.count == 200 * 1024)
            #expect(big.body.hasPrefix("abcdefghijklmnopqrstuvwxyzab"))

            try await client.send("GET /missing.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse()?.code == 404)
        }
    }
}
