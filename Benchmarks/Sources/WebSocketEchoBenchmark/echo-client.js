// Echo round-trip throughput client: C connections, each keeps one message in flight (send,
// wait for the echo, send again) for D seconds after a warm-up. Prints key=value figures; with
// the server's PID also the messages per CPU-second the server spent in the measured window
// (utime + stime from /proc/PID/stat).
// Fails (exit 1, reason on stderr) when a connection cannot open, permessage-deflate was asked
// for and not agreed, or a connection echoed nothing in the measured window: a subject that
// delivers nothing is an error, never a figure of 0.
// Usage: NODE_PATH=/usr/share/nodejs node echo-client.js URL [connections=16] [size=64]
//        [seconds=5] [deflate=0] [binary=0] [server_pid]
'use strict';
const fs = require('fs');
const { execFileSync } = require('child_process');
const WebSocket = require('ws');

const [url, connections = '16', size = '64', seconds = '5', deflate = '0', binary = '0', serverPid = ''] =
  process.argv.slice(2);
const count = Number(connections);
const payload = binary === '1' ? Buffer.alloc(Number(size), 7) : 'x'.repeat(Number(size));
const warmupMs = 1000;
const openTimeoutMs = 10000;
let measuring = false;
let messages = 0;
const latencies = [];

function fail(reason) {
  console.error(`echo-client: ${url}: ${reason}`);
  process.exit(1);
}

function open() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: deflate === '1' });
    const timer = setTimeout(() => reject(new Error(`no handshake within ${openTimeoutMs} ms`)), openTimeoutMs);
    socket.on('open', () => { clearTimeout(timer); resolve(socket); });
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
  });
}

const ticksPerSecond = serverPid ? Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) : 0;
/** The server's user + system CPU time in seconds. */
function serverCPUSeconds() {
  const stat = fs.readFileSync(`/proc/${serverPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

async function main() {
  const sockets = await Promise.all(Array.from({ length: count }, open));
  if (deflate === '1' && sockets.some((s) => !s.extensions.includes('permessage-deflate'))) {
    fail(`permessage-deflate was offered and not agreed (Sec-WebSocket-Extensions: "${sockets[0].extensions}")`);
  }
  const perSocket = new Array(count).fill(0);
  sockets.forEach((socket, index) => {
    let sentAt = 0;
    const send = () => { sentAt = process.hrtime.bigint(); socket.send(payload); };
    socket.on('message', () => {
      if (measuring) {
        messages += 1;
        perSocket[index] += 1;
        if (latencies.length < 200000) latencies.push(Number(process.hrtime.bigint() - sentAt) / 1000);
      }
      send();
    });
    socket.on('close', (code) => { if (measuring) fail(`connection ${index} closed (${code}) while measuring`); });
    send();
  });
  await new Promise((r) => setTimeout(r, warmupMs));
  const cpuBefore = serverPid ? serverCPUSeconds() : 0;
  measuring = true;
  const start = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
  measuring = false;
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = serverPid ? serverCPUSeconds() - cpuBefore : 0;
  const silent = perSocket.filter((n) => n === 0).length;
  if (messages === 0) fail(`no echo in ${elapsed.toFixed(1)} s of measurement`);
  if (silent > 0) fail(`${silent} of ${count} connections echoed nothing in ${elapsed.toFixed(1)} s`);
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  console.log(`messages_per_second=${(messages / elapsed).toFixed(0)}`);
  console.log(`p50_us=${pick(0.5).toFixed(0)}`);
  console.log(`p99_us=${pick(0.99).toFixed(0)}`);
  if (serverPid) {
    if (cpu <= 0) fail('the server used no measurable CPU time in the measured window');
    console.log(`messages_per_server_cpu_second=${(messages / cpu).toFixed(0)}`);
    console.log(`server_cpu_seconds=${cpu.toFixed(2)}`);
  }
  for (const socket of sockets) socket.terminate();
  process.exit(0);
}

main().catch((error) => fail(error.message));
