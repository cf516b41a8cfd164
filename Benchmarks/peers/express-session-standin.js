// Stand-in for express-session + connect-redis on `GET /verify-session`, the Node peer of
// sesior's session route in scripts/bench.sh. npm is not reachable here, so instead of the real
// middleware this app does the same per-request work by hand with Debian's packages:
//   1. parse the Cookie header (node-cookie, as express-session does) and take `connect.sid`;
//   2. verify the signed value `s:<id>.<sig>` with node-cookie-signature (express-session's unsign);
//   3. read `sess:<id>` from Redis with node-redis 4 (connect-redis's get) and parse its JSON;
//   4. answer {"sessionVerified":true,"user":{"userName":...}} or {"sessionVerified":false}.
//   5. with --touch (as scripts/bench.sh runs it): `EXPIRE sess:<id> 86400` before answering, which
//      is what express-session (resave: false) does on a read-only request when the store has
//      `touch` (connect-redis: EXPIRE), and the response waits for it there too.
// It does LESS work than the real stack (no Session object, no modified-check), so it favours Node.
// Run with NODE_PATH=/usr/share/nodejs.
// Usage: node express-session-standin.js --port 3001 --redis redis://127.0.0.1:6379
//        [--secret SESIORsecret] [--host 127.0.0.1] [--touch] [--tls-cert FILE --tls-key FILE]
// With --tls-cert/--tls-key (PEM files) it serves https through Node's https module.
'use strict';
const express = require('express');
const cookie = require('cookie');
const signature = require('cookie-signature');
const { createClient } = require('redis');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '3001'));
const redisURL = option('--redis', 'redis://127.0.0.1:6379');
const secrets = option('--secret', 'SESIORsecret').split(',');
const touch = process.argv.includes('--touch');
const ttlSeconds = 86400;

/** The session id from a signed cookie value, or null (express-session's getcookie). */
function sessionID(req) {
  const header = req.headers.cookie;
  if (!header) return null;
  const raw = cookie.parse(header)['connect.sid'];
  if (!raw || raw.substr(0, 2) !== 's:') return null;
  for (const secret of secrets) {
    const value = signature.unsign(raw.slice(2), secret);
    if (value !== false) return value;
  }
  return null;
}

async function main() {
  const client = createClient({ url: redisURL });
  client.on('error', (err) => console.error('redis error:', err.message));
  await client.connect();

  const app = express();
  app.get('/verify-session', async (req, res, next) => {
    try {
      const id = sessionID(req);
      const data = id === null ? null : await client.get('sess:' + id);
      if (data === null) {
        res.json({ sessionVerified: false });
        return;
      }
      const session = JSON.parse(data);
      if (touch) await client.expire('sess:' + id, ttlSeconds);
      res.json({ sessionVerified: true, user: { userName: session.userName } });
    } catch (err) {
      next(err);
    }
  });
  const cert = option('--tls-cert', null);
  const key = option('--tls-key', null);
  const server = cert && key
    ? require('https').createServer({ cert: require('fs').readFileSync(cert), key: require('fs').readFileSync(key) }, app)
    : require('http').createServer(app);
  server.listen(port, host, () => {
    console.log(`express-session-standin listening on ${cert ? 'https' : 'http'}://${host}:${port}`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
