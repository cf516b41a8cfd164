import Foundation
import NIOCore
import Testing

@testable import HTTPCore

@Suite("Middleware: static files")
struct MiddlewareStaticFileTests {
    /// A fresh folder with an index, a stylesheet, a dotfile, a sub-folder and a symlink out of it.
    static func makeRoot() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sesior-static-\(UUID().uuidString)").path
        let outside = root + "-outside"
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "<h1>home</h1>".write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        try "body{}".write(toFile: root + "/style.css", atomically: true, encoding: .utf8)
        try "secret".write(toFile: root + "/.env", atomically: true, encoding: .utf8)
        try "sub".write(toFile: root + "/sub/index.html", atomically: true, encoding: .utf8)
        try "a b".write(toFile: root + "/a b.txt", atomically: true, encoding: .utf8)
        try "outside".write(toFile: outside + "/secret.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/link.txt", withDestinationPath: outside + "/secret.txt")
        return root
    }

    @Test("serves files with type, length, ETag and Last-Modified; / is index.html")
    func serves() async throws {
        let root = try Self.makeRoot()
        let files = StaticFileMiddleware(root: root)
        let css = try await files.handle(makeRequest(.get, "/style.css"), next: RecordingNext().next)
        #expect(css.status == .ok)
        #expect(css.bodyText == "body{}")
        #expect(css.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(css.headers["Content-Length"] == "6")
        #expect(css.headers["ETag"]?.hasPrefix("W/\"6-") == true)
        #expect(css.headers["Last-Modified"]?.hasSuffix(" GMT") == true)
        let index = try await files.handle(makeRequest(.get, "/"), next: RecordingNext().next)
        #expect(index.bodyText == "<h1>home</h1>")
        #expect(index.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(try await files.handle(makeRequest(.get, "/sub/"), next: RecordingNext().next).bodyText == "sub")
        #expect(try await files.handle(makeRequest(.get, "/a%20b.txt"), next: RecordingNext().next).bodyText == "a b")
        let head = try await files.handle(makeRequest(.head, "/style.css"), next: RecordingNext().next)
        #expect(head.headers["Content-Length"] == "6" && head.bodyText.isEmpty)
    }

    @Test("a folder without slash redirects; missing files and other methods go to next")
    func passes() async throws {
        let files = StaticFileMiddleware(root: try Self.makeRoot())
        let redirect = try await files.handle(makeRequest(.get, "/sub?x=1"), next: RecordingNext().next)
        #expect(redirect.status.code == 301)
        #expect(redirect.headers["Location"] == "/sub/?x=1")
        for request in [makeRequest(.get, "/missing.js"), makeRequest(.post, "/style.css")] {
            let next = RecordingNext()
            let response = try await files.handle(request, next: next.next)
            #expect(response.bodyText == "next")
            #expect(next.received != nil)
        }
    }

    @Test("route paths go to next without a file lookup, even when a file has that name")
    func routePaths() async throws {
        let root = try Self.makeRoot()
        try "file".write(toFile: root + "/users", atomically: true, encoding: .utf8)
        let plain = StaticFileMiddleware(root: root)
        #expect(try await plain.handle(makeRequest(.get, "/users"), next: RecordingNext().next).bodyText == "file")
        let files = StaticFileMiddleware(root: root, routePaths: ["/users"])
        for request in [makeRequest(.get, "/users"), makeRequest(.head, "/users")] {
            let next = RecordingNext()
            #expect(try await files.handle(request, next: next.next).bodyText == "next")
            #expect(next.received != nil)
        }
        #expect(try await files.handle(makeRequest(.get, "/style.css"), next: RecordingNext().next).bodyText == "body{}")
    }

    @Test("conditional requests answer 304")
    func conditional() async throws {
        let files = StaticFileMiddleware(root: try Self.makeRoot())
        let first = try await files.handle(makeRequest(.get, "/style.css"), next: RecordingNext().next)
        let etag = try #require(first.headers["ETag"])
        let lastModified = try #require(first.headers["Last-Modified"])
        let byTag = try await files.handle(makeRequest(.get, "/style.css", headers: ["If-None-Match": "\"x\", \(etag)"]), next: RecordingNext().next)
        #expect(byTag.status == .notModified && byTag.bodyText.isEmpty)
        let strongForm = String(etag.dropFirst(2))
        #expect(try await files.handle(makeRequest(.get, "/style.css", headers: ["If-None-Match": strongForm]), next: RecordingNext().next).status == .notModified)
        let byDate = try await files.handle(makeRequest(.get, "/style.css", headers: ["If-Modified-Since": lastModified]), next: RecordingNext().next)
        #expect(byDate.status == .notModified)
        let stale = try await files.handle(makeRequest(.get, "/style.css", headers: ["If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT"]), next: RecordingNext().next)
        #expect(stale.status == .ok)
        let otherTag = try await files.handle(makeRequest(.get, "/style.css", headers: ["If-None-Match": "W/\"0-0\"", "If-Modified-Since": lastModified]), next: RecordingNext().next)
        #expect(otherTag.status == .ok)
    }

    @Test("traversal, encoded slashes, NUL and dotfiles are refused", arguments: [
        ("/../etc/passwd", 400), ("/%2e%2e/etc/passwd", 400), ("/sub/%2E%2E/%2E%2E/x", 400), ("/..%2fetc", 400),
        ("/a%5cb", 400), ("/index.html%00.txt", 400), ("/%zz", 400), ("/.env", 404), ("/sub/%2eenv", 404),
    ])
    func refused(path: String, status: Int) async throws {
        let files = StaticFileMiddleware(root: try Self.makeRoot())
        let error = await #expect(throws: HTTPError.self) { try await files.handle(makeRequest(.get, path), next: RecordingNext().next) }
        #expect(error?.status.code == status)
    }

    @Test("a symlink pointing outside the root is not served")
    func symlinkEscape() async throws {
        let files = StaticFileMiddleware(root: try Self.makeRoot())
        let next = RecordingNext()
        let response = try await files.handle(makeRequest(.get, "/link.txt"), next: next.next)
        #expect(response.bodyText == "next")
    }

    @Test("large files are streamed with their full length")
    func streamed() async throws {
        let root = try Self.makeRoot()
        let content = String(repeating: "0123456789", count: 20_000)
        try content.write(toFile: root + "/big.txt", atomically: true, encoding: .utf8)
        let files = StaticFileMiddleware(root: root, streamingThreshold: 1024)
        let response = try await files.handle(makeRequest(.get, "/big.txt"), next: RecordingNext().next)
        #expect(response.headers["Content-Length"] == "200000")
        guard case .stream(let produce) = response.body else { Issue.record("not streamed"); return }
        let collector = ChunkCollector()
        try await produce(collector)
        #expect(String(buffer: collector.collected) == content)
    }

    @Test("HTTP dates round-trip")
    func httpDate() {
        #expect(HTTPDate.format(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
    }
}

/// Collects the chunks a streamed body writes.
final class ChunkCollector: ResponseBodyWriter {
    private let box = LockedBox(ByteBuffer())
    var collected: ByteBuffer { box.value }

    func write(_ chunk: ByteBuffer) async throws {
        var all = box.value
        all.writeImmutableBuffer(chunk)
        box.value = all
    }
}
