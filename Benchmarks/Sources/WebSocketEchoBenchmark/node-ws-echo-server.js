// The Node `ws` echo server SESIOR's websocket-echo-server is compared with: echoes every text
// and binary message, permessage-deflate offered like websocket-echo-server.
// Usage: NODE_PATH=/usr/share/nodejs node node-ws-echo-server.js PORT
'use strict';
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 9002);
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: true, maxPayload: 16 * 1024 * 1024 });
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
server.on('listening', () => console.log(`node ws echo server on 127.0.0.1:${port}`));
