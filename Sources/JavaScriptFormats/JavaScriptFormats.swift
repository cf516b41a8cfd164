// JavaScriptFormats
//
// JSON, Base64 and MessagePack as a Node application reads and writes them, for every SESIOR layer that
// exchanges bytes with Node: session JSON in Redis (express-session + connect-redis), Socket.IO
// packet payloads, HTTP request bodies, signed cookies and Engine.IO's base64 binary packets.
//
// JSON copies JavaScript's `JSON.parse` / `JSON.stringify`, because SESIOR and a Node app must
// produce the same bytes for the same value (express-session decides "modified" by comparing
// `JSON.stringify` texts, and a session written by one side is read and rewritten by the other):
// - numbers are doubles, written in the shortest round-trip form laid out as ECMAScript's
//   `Number::toString` (`1e+21`, `1e-7`, `-0` as `0`, non-finite as `null`);
// - object keys enumerate as in a JavaScript object: canonical array-index keys (`"0"` …
//   `"4294967294"`) first in ascending order, then the others in insertion order; keys are
//   compared by their code units, not by Unicode canonical equivalence;
// - a duplicate key keeps its first position and its last value; `__proto__` is a plain key;
// - strings escape only `"`, `\` and control characters; a lone surrogate escape (`\ud800`),
//   which a Swift string cannot hold, becomes U+FFFD;
// - the syntax is strict RFC 8259, nesting is bounded and invalid UTF-8 is refused.
// Base64 is RFC 4648 in both alphabets, padded or not, decoded strictly (no stray characters,
// no non-zero bits under the padding).
// MessagePack is written as notepack.io writes it (the default parser of `@socket.io/redis-adapter`,
// so that sesior and Node socket.io servers share one Redis adapter): the shortest integer form
// for an integral number, float 64 otherwise, fixstr/str 8/16/32, bin for Buffers, fixext 1 type 0
// for `undefined`; the decoder is bounded (depth, and every length or count checked against the
// bytes left before allocating).
//
// The target depends on nothing (no Foundation, no NIO), so SessionKit can embed anywhere.
