import Foundation
import SesiorTesting

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

    static let installHint = "apt-get install nodejs node-redis"

    /// Runs the script with `arguments`; returns its stdout. Throws when node or node-redis is missing.
    static func run(_ arguments: [String]) async throws -> String {
        guard FileManager.default.fileExists(atPath: NodeScript.modulePath + "/redis/package.json") else {
            throw ChildProcessFailure(reason: "node-redis is not installed in \(NodeScript.modulePath): \(installHint)")
        }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("sesior-connect-redis-\(UUID()).js")
        try source.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        return try await NodeScript.run([script.path] + arguments, installHint: installHint)
    }
}
