// Express hello-world: the Node peer of sesior's plain route in scripts/bench.sh.
// Answers `GET /health` with 200 `{"status":"ok"}` (res.json, so Content-Type
// application/json; charset=utf-8), one process, Express defaults otherwise.
// Uses Debian's node-express: run with NODE_PATH=/usr/share/nodejs.
// With --tls-cert/--tls-key (PEM files) it serves https through Node's https module instead.
// Usage: node express-hello.js [--host 127.0.0.1] [--port 3000] [--tls-cert FILE --tls-key FILE]
'use strict';
const express = require('express');
const fs = require('fs');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const host = option('--host', '127.0.0.1');
const port = Number(option('--port', '3000'));

const app = express();
app.get('/health', (req, res) => {
  res.json({ status: 'ok' });
});
const cert = option('--tls-cert', null);
const key = option('--tls-key', null);
const server = cert && key
  ? require('https').createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, app)
  : require('http').createServer(app);
server.listen(port, host, () => {
  console.log(`express-hello listening on ${cert ? 'https' : 'http'}://${host}:${port}`);
});
