#!/usr/bin/env node
// Raw Node `ws` peer for the Socket.IO broadcast fan-out benchmark (scripts/bench.sh `fanout`):
// the floor of what Node does for the same frames, without socket.io's parser or its rooms.
//
// It speaks only what the benchmark's clients use, with the same frames as a Socket.IO server:
//   - a WebSocket at /socket.io/ sends the Engine.IO v4 open packet `0{"sid":…}`;
//   - the client's `40` (connect to "/") is answered `40{"sid":…}`;
//   - a `42["fanout",ARG]` text frame from any client is sent as it is, the same text, to every
//     open client (the sender included), as a Socket.IO server's `emit("fanout", ARG)` would frame
//     it (the payload is not parsed or re-serialised: that is socket.io's work, not ws's);
//   - no heartbeat (a run lasts seconds; the pingInterval it announces is never reached).
// `GET /health` answers {"status":"ok"} so the bench script can tell when the server is up.
// One process, no cluster, permessage-deflate off (as in socket.io 4's default).
//
// Usage: NODE_PATH=/usr/share/nodejs node node_ws_fanout_server.js [--host 127.0.0.1] [--port 3003]
"use strict";
const http = require("http");
const { WebSocketServer, WebSocket } = require("ws");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}
const host = option("host", "127.0.0.1");
const port = Number(option("port", "3003"));

const server = http.createServer((request, response) => {
  if (request.method === "GET" && request.url === "/health") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"status":"ok"}');
  } else {
    response.writeHead(404, { "content-type": "application/json" });
    response.end('{"error":"not found"}');
  }
});
const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1e6 });

server.on("upgrade", (request, socket, head) => {
  if (!request.url.startsWith("/socket.io/")) {
    socket.destroy();
    return;
  }
  sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit("connection", ws, request));
});

let nextId = 0;
sockets.on("connection", (ws) => {
  const sid = `ws${(nextId++).toString(36).padStart(18, "0")}`;
  ws.send(`0{"sid":"${sid}","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`);
  ws.on("message", (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    if (text === "40" || text.startsWith("40{")) {
      ws.send(`40{"sid":"${sid}"}`);
    } else if (text.startsWith('42["fanout",')) {
      for (const client of sockets.clients) {
        if (client.readyState === WebSocket.OPEN) client.send(text);
      }
    }
  });
});

server.listen({ host, port, backlog: 2048 }, () => {
  process.stdout.write(`node ws fan-out server on http://${host}:${port}\n`);
});
