// Echo round-trip throughput client: C connections, each keeps one message in flight (send,
// wait for the echo, send again) for D seconds after a warm-up. Prints key=value figures.
// Usage: NODE_PATH=/usr/share/nodejs node echo-client.js URL [connections=16] [size=64]
//        [seconds=5] [deflate=0] [binary=0]
'use strict';
const WebSocket = require('ws');

const [url, connections = '16', size = '64', seconds = '5', deflate = '0', binary = '0'] = process.argv.slice(2);
const count = Number(connections);
const payload = binary === '1' ? Buffer.alloc(Number(size), 7) : 'x'.repeat(Number(size));
const warmupMs = 1000;
let measuring = false;
let messages = 0;
const latencies = [];

function open() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: deflate === '1' });
    socket.on('open', () => resolve(socket));
    socket.on('error', reject);
  });
}

async function main() {
  const sockets = await Promise.all(Array.from({ length: count }, open));
  for (const socket of sockets) {
    let sentAt = 0;
    const send = () => { sentAt = process.hrtime.bigint(); socket.send(payload); };
    socket.on('message', () => {
      if (measuring) {
        messages += 1;
        if (latencies.length < 200000) latencies.push(Number(process.hrtime.bigint() - sentAt) / 1000);
      }
      send();
    });
    send();
  }
  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  const start = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
  measuring = false;
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  const pick = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : 0);
  console.log(`messages_per_second=${(messages / elapsed).toFixed(0)}`);
  console.log(`p50_us=${pick(0.5).toFixed(0)}`);
  console.log(`p99_us=${pick(0.99).toFixed(0)}`);
  for (const socket of sockets) socket.terminate();
  process.exit(0);
}

main().catch((error) => { console.error(error.message); process.exit(1); });
