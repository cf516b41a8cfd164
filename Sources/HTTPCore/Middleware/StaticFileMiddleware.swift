import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves files below a root folder for GET and HEAD (Express's `express.static`).
///
/// - Other methods, and paths with no such file, pass to `next`.
/// - `/` and paths ending in `/` serve `index.html`; a folder without the slash redirects (301).
/// - `Content-Type` from the extension; a weak `ETag` (size and mtime) and `Last-Modified`;
///   `If-None-Match` / `If-Modified-Since` answer 304.
/// - Refused: malformed percent-encoding, encoded `/` or `\`, NUL and `..` segments (400);
///   dotfiles and anything resolving outside the root, e.g. through a symlink (404).
///
/// - `routePaths` skips the lookup for paths that routes behind the middleware answer.
///
/// All file system calls run on NIO's shared thread pool (`NIOThreadPool.singleton`), never on an
/// event loop; files above `streamingThreshold` are streamed in 64 KiB reads.
public struct StaticFileMiddleware: Middleware {
    /// The folder files are served from.
    public let root: String
    /// The file served for a folder path (default `index.html`).
    public var indexFile: String
    /// Files larger than this many bytes are streamed instead of read at once (default 1 MiB).
    public var streamingThreshold: Int
    /// The `Cache-Control` value (default `public, max-age=0`, as Express).
    public var cacheControl: String
    /// Request paths (exact, e.g. `/users`) that routes behind this middleware answer: they go
    /// straight to `next`, without a file-system lookup on the thread pool. Default empty.
    public var routePaths: Set<String>

    /// Creates the middleware serving `root`.
    public init(
        root: String, indexFile: String = "index.html", streamingThreshold: Int = 1 << 20,
        cacheControl: String = "public, max-age=0", routePaths: Set<String> = []
    ) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        self.indexFile = indexFile
        self.streamingThreshold = streamingThreshold
        self.cacheControl = cacheControl
        self.routePaths = routePaths
    }

    /// Serves the file the path names, or calls `next` when there is none.
    public func handle(_ request: Request, next: Next) async throws -> Response {
        if passesOn(request) { return try await next(request) }
        return try await serve(request, next: next)
    }

    /// True for requests that cannot name a file: not GET or HEAD, or a path in `routePaths`.
    public func passesOn(_ request: Request) -> Bool {
        guard request.method == .get || request.method == .head else { return true }
        return !routePaths.isEmpty && routePaths.contains(String(request.path))
    }

    /// `handle` for a GET or HEAD that may name a file. (Apart from `handle`, whose async frame,
    /// allocated for every request passing by, then stays small.)
    @inline(never)
    private func serve(_ request: Request, next: Next) async throws -> Response {
        var segments = try Self.segments(of: request.path)
        // Below a mount point, `/static` has the path `/`: a folder without the slash all the same.
        let wantsFolder = request.path.hasSuffix("/") && request.fullPath.hasSuffix("/")
        if wantsFolder { segments.append(indexFile) }
        let path = ([root] + segments).joined(separator: "/")
        let root = self.root
        let file = try await NIOThreadPool.singleton.runIfActive { StaticFile.inspect(path: path, root: root) }
        guard let file else { return try await next(request) }
        if file.isDirectory {
            guard !wantsFolder else { return try await next(request) }
            let query = request.head.query.map { "?\($0)" } ?? ""
            return Response(status: HTTPResponseStatus(code: 301), headers: ["Location": "\(request.fullPath)/\(query)", "Content-Length": "0"])
        }
        var headers: HTTPHeaders = [
            "ETag": file.etag, "Last-Modified": HTTPDate.format(secondsSince1970: file.modified),
            "Cache-Control": cacheControl,
        ]
        if isNotModified(request.headers, file) {
            return Response(status: .notModified, headers: headers)
        }
        headers.add(name: "Content-Type", value: StaticFileContentType.forFile(named: segments.last.map { $0[...] } ?? ""))
        headers.add(name: "Content-Length", value: String(file.size))
        if request.method == .head { return Response(status: .ok, headers: headers) }
        if file.size <= streamingThreshold {
            let bytes = try await NIOThreadPool.singleton.runIfActive { try StaticFile.read(path: path, offset: 0, count: file.size) }
            return Response(status: .ok, headers: headers, body: .bytes(bytes))
        }
        let size = file.size
        return Response(status: .ok, headers: headers, body: .stream { writer in
            var offset = 0
            while offset < size {
                let count = min(64 * 1024, size - offset)
                let start = offset
                let chunk = try await NIOThreadPool.singleton.runIfActive { try StaticFile.read(path: path, offset: start, count: count) }
                guard chunk.readableBytes > 0 else { break }
                offset += chunk.readableBytes
                try await writer.write(chunk)
            }
        })
    }

    /// RFC 9110 §13.2.2: If-None-Match (weak comparison) takes precedence over If-Modified-Since.
    private func isNotModified(_ headers: HTTPHeaders, _ file: StaticFile) -> Bool {
        let tags = headers.values(for: "If-None-Match").flatMap { $0.split(separator: ",") }
        if !tags.isEmpty {
            let weakOpaque = { (tag: Substring) in tag.trimmingCharacters(in: " \t").replacingPrefix("W/") }
            let mine = weakOpaque(file.etag[...])
            return tags.contains { weakOpaque($0) == mine || $0.trimmingCharacters(in: " \t") == "*" }
        }
        if let since = headers["If-Modified-Since"].flatMap(HTTPDate.parse) {
            return file.modified <= since
        }
        return false
    }

    /// The percent-decoded segments of `path`, refusing traversal and encoding tricks.
    static func segments(of path: Substring) throws(HTTPError) -> [String] {
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let bytes = PercentDecoding.decodeBytes(raw.utf8, plusIsSpace: false, strict: true),
                let segment = String(validating: bytes, as: UTF8.self)
            else { throw HTTPError(.badRequest, reason: "malformed path") }
            if bytes.contains(0) || bytes.contains(UInt8(ascii: "/")) || bytes.contains(UInt8(ascii: "\\")) {
                throw HTTPError(.badRequest, reason: "malformed path")
            }
            if segment == "." { continue }
            if segment == ".." { throw HTTPError(.badRequest, reason: "path traversal") }
            if segment.hasPrefix(".") { throw HTTPError(.notFound, reason: "not found") }
            segments.append(segment)
        }
        return segments
    }
}

/// What `StaticFileMiddleware` needs to know about one file.
struct StaticFile: Sendable {
    var isDirectory: Bool
    var size: Int
    /// Seconds since the Unix epoch.
    var modified: Int

    /// A weak validator: `W/"<size hex>-<mtime hex>"`.
    var etag: String { "W/\"\(String(size, radix: 16))-\(String(modified, radix: 16))\"" }

    /// The file at `path` if it exists and resolves to a place inside `root`; blocking.
    static func inspect(path: String, root: String) -> StaticFile? {
        guard let resolved = realPath(path), let resolvedRoot = realPath(root),
            resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot == "/" ? "/" : resolvedRoot + "/")
        else { return nil }
        var info = stat()
        guard stat(resolved, &info) == 0 else { return nil }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        guard isDirectory || (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return StaticFile(isDirectory: isDirectory, size: Int(info.st_size), modified: Int(info.st_mtim.tv_sec))
    }

    /// Up to `count` bytes of the file at `path` from `offset`; blocking.
    static func read(path: String, offset: Int, count: Int) throws -> ByteBuffer {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw HTTPError(.notFound, reason: "not found") }
        defer { close(descriptor) }
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var done = 0
        while done < count {
            let got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) { pointer in
                max(0, pread(descriptor, pointer.baseAddress, count - done, off_t(offset + done)))
            }
            if got == 0 { break }
            done += got
        }
        return buffer
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension Substring {
    fileprivate func replacingPrefix(_ prefix: String) -> Substring {
        hasPrefix(prefix) ? dropFirst(prefix.count) : self
    }
}
