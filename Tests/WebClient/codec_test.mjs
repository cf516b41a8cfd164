// The packet codec of socketio-client.js, byte by byte (Node's built-in test runner).
//   node --test Tests/WebClient/codec_test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodePacket, decodePacket, decodePayload, PacketType } from "../../Sources/SesiorServer/Public/socketio-client.js";

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR } = PacketType;

const encodings = [
  [{ type: CONNECT }, "0"],
  [{ type: CONNECT, data: { token: "123" } }, '0{"token":"123"}'],
  [{ type: CONNECT, nsp: "/admin", data: { token: "123" } }, '0/admin,{"token":"123"}'],
  [{ type: DISCONNECT }, "1"],
  [{ type: DISCONNECT, nsp: "/admin" }, "1/admin,"],
  [{ type: EVENT, data: ["foo"] }, '2["foo"]'],
  [{ type: EVENT, id: 12, data: ["foo"] }, '212["foo"]'],
  [{ type: EVENT, id: 0, data: ["user:rename", "Zoë"] }, '20["user:rename","Zoë"]'],
  [{ type: ACK, nsp: "/admin", id: 13, data: ["bar"] }, '3/admin,13["bar"]'],
  [{ type: ACK, id: 7, data: [null, { a: 1 }] }, '37[null,{"a":1}]'],
];

for (const [packet, text] of encodings) {
  test(`encodes ${text}`, () => assert.equal(encodePacket(packet), text));
}

const decodings = [
  ["0", { type: CONNECT, nsp: "/", id: undefined, data: undefined }],
  ['0{"sid":"abc"}', { type: CONNECT, nsp: "/", id: undefined, data: { sid: "abc" } }],
  ['4{"message":"Not authorized"}', { type: CONNECT_ERROR, nsp: "/", id: undefined, data: { message: "Not authorized" } }],
  ['4/admin,{"message":"Invalid namespace"}', { type: CONNECT_ERROR, nsp: "/admin", id: undefined, data: { message: "Invalid namespace" } }],
  ['4"legacy reason"', { type: CONNECT_ERROR, nsp: "/", id: undefined, data: "legacy reason" }],
  ["1", { type: DISCONNECT, nsp: "/", id: undefined, data: undefined }],
  ['2["user:joined",{"userName":"a"}]', { type: EVENT, nsp: "/", id: undefined, data: ["user:joined", { userName: "a" }] }],
  ['2123["q",1]', { type: EVENT, nsp: "/", id: 123, data: ["q", 1] }],
  ['3/admin,13["bar"]', { type: ACK, nsp: "/admin", id: 13, data: ["bar"] }],
  ["30[]", { type: ACK, nsp: "/", id: 0, data: [] }],
  ['2["a\\u2028b","\\ud83d\\ude80"]', { type: EVENT, nsp: "/", id: undefined, data: ["a\u2028b", "🚀"] }],
];

for (const [text, packet] of decodings) {
  test(`decodes ${text}`, () => assert.deepEqual(decodePacket(text), packet));
}

for (const [packet, text] of encodings) {
  test(`round-trips ${text}`, () => {
    const decoded = decodePacket(text);
    assert.equal(encodePacket(decoded), text);
    assert.deepEqual(decoded.data, packet.data);
  });
}

const invalid = [
  ["", "empty packet"],
  ["9", "unknown packet type"],
  ["x", "unknown packet type"],
  ["2", "invalid payload"],
  ["2{}", "invalid payload"],
  ["2[]", "invalid payload"],
  ["2[{}]", "invalid payload"],
  ['2["a"', "invalid JSON payload"],
  ["2abc", "invalid JSON payload"],
  ["3[1]", "invalid payload"],
  ['31{"a":1}', "invalid payload"],
  ["0[]", "invalid payload"],
  ['1{"a":1}', "invalid payload"],
  ["4", "invalid payload"],
  ["4[1]", "invalid payload"],
  ['51-["baz",{"_placeholder":true,"num":0}]', "binary packets are not supported"],
  ['21234567890123456["a"]', "invalid ack id"],
];

for (const [text, reason] of invalid) {
  test(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => decodePacket(text), { message: reason }));
}

test("splits polling payloads on the record separator", () => {
  assert.deepEqual(decodePayload(""), []);
  assert.deepEqual(decodePayload("4hello"), ["4hello"]);
  assert.deepEqual(decodePayload('0{"sid":"a"}\x1e40\x1e2'), ['0{"sid":"a"}', "40", "2"]);
});
