// Express hello-world: the Node peer of sesior's plain route in scripts/bench.sh.
// Answers `GET /health` with 200 `{"status":"ok"}` (res.json, so Content-Type
// application/json; charset=utf-8), one process, Express defaults otherwise.
// Uses Debian's node-express: run with NODE_PATH=/usr/share/nodejs.
// Usage: node express-hello.js [--host 127.0.0.1] [--port 3000]
'use strict';
const express = require('express');

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
app.listen(port, host, () => {
  console.log(`express-hello listening on http://${host}:${port}`);
});
