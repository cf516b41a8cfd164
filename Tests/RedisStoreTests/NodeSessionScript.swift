import Foundation

/// Runs a Node.js script that reads and writes sessions the way express-session + connect-redis
/// do, through Debian's node-redis (v4 API: `createClient({url})`, `set(k, v, {EX})`).
enum NodeSessionScript {
    /// The script: `write URL ID` stores an express-session–shaped session with connect-redis's
    /// TTL rule and prints the JSON it wrote; `read URL ID` prints `{"raw","ttl","expiresMs","session"}`.
    static let source = #"""
        const { createClient } = require('redis');
        const [mode, url, id] = process.argv.slice(2);
        const key = 'sess:' + id;

        // express-session's Cookie#toJSON key order.
        function cookieData(c) {
          return { originalMaxAge: c.originalMaxAge, partitioned: c.partitioned, priority: c.priority,
                   expires: c.expires, secure: c.secure, httpOnly: c.httpOnly, domain: c.domain,
                   path: c.path, sameSite: c.sameSite };
        }
        // connect-redis's _getTTL.
        function ttlOf(sess) {
          if (sess && sess.cookie && sess.cookie.expires) {
            return Math.ceil((Number(new Date(sess.cookie.expires)) - Date.now()) / 1000);
          }
          return 86400;
        }

        (async () => {
          const client = createClient({ url });
          client.on('error', (err) => { console.error(String(err)); process.exit(2); });
          await client.connect();
          if (mode === 'write') {
            const maxAge = 3600000;
            const cookie = { originalMaxAge: maxAge, expires: new Date(Date.now() + maxAge), secure: true,
                             httpOnly: true, domain: 'example.com', path: '/', sameSite: 'lax' };
            const sess = { cookie: { toJSON() { return cookieData(cookie); } }, userName: 'alice',
                           visits: 3, ratio: 0.25, admin: false, nothing: null,
                           tags: ['a', 'é', '😀'], profile: { city: 'Zürich', zip: '8000' } };
            const json = JSON.stringify(sess);
            await client.set(key, json, { EX: ttlOf(JSON.parse(json)) });
            process.stdout.write(json);
          } else if (mode === 'read') {
            const raw = await client.get(key);
            const ttl = await client.ttl(key);
            const session = JSON.parse(raw);
            const expiresMs = session.cookie.expires ? new Date(session.cookie.expires).getTime() : null;
            process.stdout.write(JSON.stringify({ raw, ttl, expiresMs, session }));
          }
          await client.quit();
        })().catch((err) => { console.error(String(err)); process.exit(1); });
        """#

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the script with `arguments`; returns its stdout. Throws when node or node-redis is missing.
    static func run(_ arguments: [String]) async throws -> String {
        let nodePath = "/usr/share/nodejs"
        guard let node = executable("node") ?? executable("nodejs") else {
            throw Failure(description: "node is not installed: apt-get install nodejs node-redis")
        }
        guard FileManager.default.fileExists(atPath: nodePath + "/redis/package.json") else {
            throw Failure(description: "node-redis is not installed in \(nodePath): apt-get install nodejs node-redis")
        }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("sesior-connect-redis-\(UUID()).js")
        try source.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = [script.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NODE_PATH"] = nodePath
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        async let stdout = output.fileHandleForReading.readToEnd()
        async let stderr = errors.fileHandleForReading.readToEnd()
        let (out, err) = try await (stdout, stderr)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "node script failed (\(process.terminationStatus)): \(String(decoding: err ?? Data(), as: UTF8.self))")
        }
        return String(decoding: out ?? Data(), as: UTF8.self)
    }

    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
