'use strict';
// The Node.js side of Fuzz/FuzzDriver/NodeOracle.swift: reads request batches from stdin
// (UInt32LE count, then per item UInt32LE length and bytes), answers every item with
// `answer(buffer)` (a Buffer or a string, sent as UTF-8) and writes the replies of one batch in a
// single write, in order. Exits when stdin closes.
const fs = require('node:fs');

function writeAll(buffer) {
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += fs.writeSync(1, buffer, offset, buffer.length - offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}

function serve(answer) {
  let pending = Buffer.alloc(0);
  process.stdin.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 4) return;
      const count = pending.readUInt32LE(0);
      const items = [];
      let offset = 4;
      while (items.length < count) {
        if (pending.length < offset + 4) return;
        const length = pending.readUInt32LE(offset);
        if (pending.length < offset + 4 + length) return;
        items.push(pending.subarray(offset + 4, offset + 4 + length));
        offset += 4 + length;
      }
      const out = [];
      for (const item of items) {
        const reply = answer(item);
        const bytes = Buffer.isBuffer(reply) ? reply : Buffer.from(reply, 'utf8');
        const header = Buffer.alloc(4);
        header.writeUInt32LE(bytes.length);
        out.push(header, bytes);
      }
      writeAll(Buffer.concat(out));
      pending = pending.subarray(offset);
    }
  });
}

module.exports = { serve };
