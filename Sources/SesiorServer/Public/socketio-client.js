// A small Socket.IO v5 client (Engine.IO v4) written for SESIOR. No dependencies.
//
//   import { io } from "./socketio-client.js";
//   const socket = io("http://127.0.0.1:7331", { reconnectionDelay: 500 });
//   socket.on("connect", () => socket.emit("hello", "world", (err, reply) => { … }));
// Transports: WebSocket first; HTTP long-polling when the WebSocket cannot be opened
// (no upgrade from polling to WebSocket). Text packets only: binary events are not supported.
// Namespace: "/" only (packets for other namespaces are ignored).

/** Engine.IO v4 packet types. */
export const EnginePacket = Object.freeze({ OPEN: "0", CLOSE: "1", PING: "2", PONG: "3", MESSAGE: "4", UPGRADE: "5", NOOP: "6" });

/** Socket.IO v5 packet types. */
export const PacketType = Object.freeze({ CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4, BINARY_EVENT: 5, BINARY_ACK: 6 });

/** Engine.IO polling payloads separate packets with the record separator. */
export const RECORD_SEPARATOR = "\x1e";

/**
 * Encodes a Socket.IO packet `{type, nsp?, id?, data?}` as the text carried in an Engine.IO
 * message: `<type>[<nsp>,][<id>][<json>]`. The namespace is omitted when it is "/".
 */
export function encodePacket({ type, nsp = "/", id, data }) {
  let text = String(type);
  if (nsp && nsp !== "/") text += nsp + ",";
  if (id !== undefined && id !== null) text += String(id);
  if (data !== undefined) text += JSON.stringify(data);
  return text;
}

/**
 * Decodes the text of a Socket.IO packet. Throws an Error with a reason when the text is not a
 * valid packet (unknown type, bad namespace, bad JSON, payload of the wrong shape).
 */
export function decodePacket(text) {
  if (typeof text !== "string" || text.length === 0) throw new Error("empty packet");
  const type = text.charCodeAt(0) - 48;
  if (!(type >= 0 && type <= 6)) throw new Error("unknown packet type");
  if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) throw new Error("binary packets are not supported");
  let i = 1;
  let nsp = "/";
  if (text[i] === "/") {
    const comma = text.indexOf(",", i);
    const end = comma === -1 ? text.length : comma;
    nsp = text.slice(i, end);
    i = comma === -1 ? text.length : comma + 1;
  }
  let id;
  const idStart = i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i > idStart) {
    if (i - idStart > 15) throw new Error("invalid ack id");
    id = Number(text.slice(idStart, i));
  }
  let data;
  if (i < text.length) {
    try {
      data = JSON.parse(text.slice(i));
    } catch {
      throw new Error("invalid JSON payload");
    }
  }
  const packet = { type, nsp, id, data };
  if (!isValidPayload(packet)) throw new Error("invalid payload");
  return packet;
}

function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isValidPayload({ type, id, data }) {
  switch (type) {
    case PacketType.CONNECT: return data === undefined || isPlainObject(data);
    case PacketType.DISCONNECT: return data === undefined;
    case PacketType.CONNECT_ERROR: return typeof data === "string" || isPlainObject(data);
    case PacketType.EVENT: return Array.isArray(data) && data.length > 0 && (typeof data[0] === "string" || typeof data[0] === "number");
    case PacketType.ACK: return id !== undefined && Array.isArray(data);
    default: return false;
  }
}

/** Splits an Engine.IO polling payload into packet strings. */
export function decodePayload(payload) {
  return payload.length === 0 ? [] : payload.split(RECORD_SEPARATOR);
}

const DEFAULTS = Object.freeze({
  path: "/socket.io/",
  transports: ["websocket", "polling"],
  reconnection: true,
  reconnectionAttempts: Infinity,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
  timeout: 20000,
  autoConnect: true,
  auth: undefined,
  withCredentials: true,
});

/** Builds `http(s)://host[:port]/path/?query` and its ws(s) twin from a base URL ("" = this page). */
function endpoint(base, path, query, scheme) {
  const url = new URL(path, base || globalThis.location?.href);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  if (scheme === "ws") url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/** Engine.IO over a WebSocket. Calls `onpacket(text)` and `onclose(reason, opened)`. */
class WebSocketTransport {
  constructor(base, opts) {
    this.name = "websocket";
    this.opened = false;
    try {
      this.ws = new WebSocket(endpoint(base, opts.path, { EIO: "4", transport: "websocket" }, "ws"));
    } catch {
      this.ws = { readyState: 3, close() {} }; // e.g. a blocked port: report it like a failed open
      setTimeout(() => this.finish("transport error"));
      return;
    }
    this.ws.onopen = () => { this.opened = true; };
    this.ws.onmessage = (e) => {
      if (typeof e.data === "string") this.onpacket?.(e.data);
      else this.finish("transport error");
    };
    this.ws.onerror = () => this.finish("transport error");
    this.ws.onclose = () => this.finish("transport close");
  }
  send(packets) {
    for (const p of packets) if (this.ws.readyState === WebSocket.OPEN) this.ws.send(p);
  }
  close() {
    this.closed = true;
    this.ws.onmessage = this.ws.onerror = this.ws.onclose = null;
    try { this.ws.close(); } catch { /* already closed */ }
  }
  finish(reason) {
    if (this.closed) return;
    this.close();
    this.onclose?.(reason, this.opened);
  }
}

/** Engine.IO over HTTP long-polling (fetch, credentials included). Same callbacks as the WebSocket. */
class PollingTransport {
  constructor(base, opts) {
    this.name = "polling";
    this.base = base;
    this.opts = opts;
    this.sid = null;
    this.opened = false;
    this.queue = [];
    this.posting = false;
    this.abort = new AbortController();
    this.poll();
  }
  url() {
    const query = { EIO: "4", transport: "polling", t: Date.now().toString(36) + Math.random().toString(36).slice(2, 6) };
    if (this.sid) query.sid = this.sid;
    return endpoint(this.base, this.opts.path, query, "http");
  }
  request(method, body) {
    const init = { method, signal: this.abort.signal, cache: "no-store", credentials: this.opts.withCredentials ? "include" : "same-origin" };
    if (body !== undefined) { init.body = body; init.headers = { "Content-Type": "text/plain;charset=UTF-8" }; }
    return fetch(this.url(), init).then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.text();
    });
  }
  async poll() {
    while (!this.closed) {
      let payload;
      try {
        payload = await this.request("GET");
      } catch {
        this.finish("transport error");
        return;
      }
      for (const packet of decodePayload(payload)) {
        if (this.closed) return;
        if (!this.sid && packet[0] === EnginePacket.OPEN) {
          try { this.sid = JSON.parse(packet.slice(1)).sid; } catch { /* handled by the engine */ }
          this.opened = true;
        }
        this.onpacket?.(packet);
      }
    }
  }
  send(packets) {
    this.queue.push(...packets);
    this.flush();
  }
  async flush() {
    if (this.posting || this.queue.length === 0 || this.closed || !this.sid) return;
    const batch = this.queue.splice(0);
    this.posting = true;
    try {
      await this.request("POST", batch.join(RECORD_SEPARATOR));
    } catch {
      this.finish("transport error");
      return;
    } finally {
      this.posting = false;
    }
    this.flush();
  }
  close() {
    if (this.closed) return;
    if (this.sid) {
      // Tell the server; fire and forget.
      fetch(this.url(), { method: "POST", body: EnginePacket.CLOSE, keepalive: true, credentials: this.opts.withCredentials ? "include" : "same-origin" }).catch(() => {});
    }
    this.closed = true;
    this.abort.abort();
  }
  finish(reason) {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.onclose?.(reason, this.opened);
  }
}

/**
 * One Engine.IO session: handshake, heartbeat (answers the server's ping `2` with `3`, closes when
 * the server stays silent for pingInterval + pingTimeout), message packets `4`.
 */
class EngineConnection {
  constructor(base, opts, transportName, handlers) {
    this.handlers = handlers;
    this.transport = transportName === "polling" ? new PollingTransport(base, opts) : new WebSocketTransport(base, opts);
    this.transport.onpacket = (p) => this.receive(p);
    this.transport.onclose = (reason, opened) => this.finish(reason, opened);
    this.openTimer = setTimeout(() => this.finish("timeout", false), opts.timeout);
  }
  receive(packet) {
    switch (packet[0]) {
      case EnginePacket.OPEN: {
        let handshake;
        try { handshake = JSON.parse(packet.slice(1)); } catch { return this.finish("parse error", true); }
        clearTimeout(this.openTimer);
        this.handshake = handshake;
        this.resetHeartbeat();
        this.handlers.onopen(handshake);
        break;
      }
      case EnginePacket.PING:
        this.resetHeartbeat();
        this.transport.send([EnginePacket.PONG + packet.slice(1)]);
        break;
      case EnginePacket.MESSAGE: this.handlers.onmessage(packet.slice(1)); break;
      case EnginePacket.CLOSE: this.finish("transport close", true); break;
      case EnginePacket.NOOP: case EnginePacket.PONG: break;
      default: this.finish("parse error", true);
    }
  }
  resetHeartbeat() {
    clearTimeout(this.heartbeat);
    const { pingInterval = 25000, pingTimeout = 20000 } = this.handshake ?? {};
    this.heartbeat = setTimeout(() => this.finish("ping timeout", true), pingInterval + pingTimeout);
  }
  send(text) {
    if (!this.closed) this.transport.send([EnginePacket.MESSAGE + text]);
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.openTimer);
    clearTimeout(this.heartbeat);
    this.transport.close();
  }
  finish(reason, opened) {
    if (this.closed) return;
    this.close();
    this.handlers.onclose(reason, opened || Boolean(this.handshake));
  }
}

/** A Socket.IO client socket on namespace "/". Events: connect, disconnect, connect_error. */
export class Socket {
  constructor(url = "", opts = {}) {
    this.url = url;
    this.opts = { ...DEFAULTS, ...opts };
    this.id = undefined;
    this.connected = false;
    this.listeners = new Map();
    this.acks = new Map();
    this.nextAckId = 0;
    this.sendBuffer = [];
    this.receiveBuffer = [];
    this.attempts = 0;
    this.transportIndex = 0;
    this.engine = null;
    this.active = false; // true while the socket wants to be connected (reconnects when dropped)
  }

  /** Adds a listener for `event`. */
  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(fn);
    return this;
  }
  /** Adds a listener called at most once. */
  once(event, fn) {
    const wrapper = (...args) => { this.off(event, wrapper); fn(...args); };
    return this.on(event, wrapper);
  }
  /** Removes one listener, every listener of `event`, or every listener (no arguments). */
  off(event, fn) {
    if (event === undefined) this.listeners.clear();
    else if (fn === undefined) this.listeners.delete(event);
    else this.listeners.set(event, (this.listeners.get(event) ?? []).filter((f) => f !== fn));
    return this;
  }
  fire(event, ...args) {
    for (const fn of [...(this.listeners.get(event) ?? [])]) {
      try { fn(...args); } catch (e) { setTimeout(() => { throw e; }); }
    }
  }

  /** Sends an event; a trailing function is called with the server's acknowledgement arguments. */
  emit(event, ...args) {
    const packet = { type: PacketType.EVENT, data: [event, ...args] };
    if (typeof args.at(-1) === "function") {
      const ack = packet.data.pop();
      packet.id = this.nextAckId++;
      this.acks.set(packet.id, ack);
    }
    const text = encodePacket(packet);
    if (this.connected) this.engine.send(text);
    else this.sendBuffer.push(text);
    return this;
  }
  /** Emits and resolves with the acknowledgement's arguments (array); rejects after `timeout` ms. */
  emitWithAck(event, ...args) {
    const timeout = this.opts.ackTimeout ?? 10000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("operation has timed out")), timeout);
      this.emit(event, ...args, (...reply) => { clearTimeout(timer); resolve(reply); });
    });
  }

  /** Opens the connection (again); reconnection restarts from the first attempt. */
  connect() {
    if (this.connected || this.engine) return this;
    this.active = true;
    this.attempts = 0;
    clearTimeout(this.reconnectTimer);
    this.open();
    return this;
  }
  /** Closes the connection for good (no reconnection). */
  disconnect() {
    this.active = false;
    clearTimeout(this.reconnectTimer);
    if (this.connected) this.engine.send(encodePacket({ type: PacketType.DISCONNECT }));
    this.teardown("io client disconnect");
    return this;
  }
  close() { return this.disconnect(); }

  open(transportIndex = 0) {
    this.transportIndex = transportIndex;
    const name = this.opts.transports[transportIndex];
    this.engine = new EngineConnection(this.url, this.opts, name, {
      onopen: () => {
        const send = (data) => this.engine?.send(encodePacket({ type: PacketType.CONNECT, data }));
        if (typeof this.opts.auth === "function") this.opts.auth(send);
        else send(this.opts.auth);
      },
      onmessage: (text) => this.receive(text),
      onclose: (reason, opened) => this.engineClosed(reason, opened),
    });
    // The whole handshake (Engine.IO open, then Socket.IO CONNECT) must finish within `timeout`.
    const engine = this.engine;
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (this.engine !== engine || this.connected) return;
      engine.close();
      this.engineClosed("timeout", true);
    }, this.opts.timeout);
  }

  receive(text) {
    let packet;
    try {
      packet = decodePacket(text);
    } catch (e) {
      this.engine?.close();
      this.engine = null;
      return this.engineClosed("parse error", true);
    }
    if (packet.nsp !== "/") return;
    switch (packet.type) {
      case PacketType.CONNECT: {
        clearTimeout(this.connectTimer);
        this.id = packet.data?.sid;
        this.connected = true;
        this.attempts = 0;
        // As socket.io-client: events that arrived before CONNECT first, then queued emits, then "connect".
        for (const args of this.receiveBuffer.splice(0)) this.fire(...args);
        for (const buffered of this.sendBuffer.splice(0)) this.engine?.send(buffered);
        this.fire("connect");
        break;
      }
      case PacketType.CONNECT_ERROR: {
        const data = packet.data;
        const err = new Error(typeof data === "string" ? data : data.message);
        err.data = typeof data === "object" ? data.data : undefined;
        err.refused = true;
        // Refused by the server's middleware: no automatic reconnection (as socket.io-client).
        this.active = false;
        this.teardown(null);
        this.fire("connect_error", err);
        break;
      }
      case PacketType.EVENT: {
        const args = packet.data.slice();
        if (packet.id !== undefined) {
          let sent = false;
          const engine = this.engine;
          args.push((...reply) => {
            if (sent || engine !== this.engine || !this.connected) return;
            sent = true;
            engine.send(encodePacket({ type: PacketType.ACK, id: packet.id, data: reply }));
          });
        }
        if (this.connected) this.fire(...args);
        else this.receiveBuffer.push(args);
        break;
      }
      case PacketType.ACK: {
        const ack = this.acks.get(packet.id);
        if (ack) { this.acks.delete(packet.id); ack(...packet.data); }
        break;
      }
      case PacketType.DISCONNECT:
        this.active = false;
        this.teardown("io server disconnect");
        break;
    }
  }

  teardown(reason) {
    clearTimeout(this.connectTimer);
    const engine = this.engine;
    this.receiveBuffer = [];
    this.engine = null;
    engine?.close();
    const wasConnected = this.connected;
    this.connected = false;
    this.id = undefined;
    if (wasConnected && reason) this.fire("disconnect", reason);
  }

  engineClosed(reason, opened) {
    clearTimeout(this.connectTimer);
    const wasConnected = this.connected;
    this.receiveBuffer = [];
    const failedIndex = this.transportIndex;
    this.engine = null;
    this.connected = false;
    this.id = undefined;
    if (wasConnected) {
      this.fire("disconnect", reason);
    } else if (!opened && this.active && failedIndex + 1 < this.opts.transports.length) {
      // This transport could not be opened: try the next one within the same attempt.
      return this.open(failedIndex + 1);
    } else {
      this.fire("connect_error", new Error(reason));
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (!this.active || !this.opts.reconnection) return;
    if (this.attempts >= this.opts.reconnectionAttempts) {
      this.active = false;
      this.fire("reconnect_failed");
      return;
    }
    const base = this.opts.reconnectionDelay * 2 ** this.attempts;
    const jitter = 1 + (Math.random() * 2 - 1) * this.opts.randomizationFactor;
    const delay = Math.min(this.opts.reconnectionDelayMax, Math.max(0, Math.round(base * jitter)));
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      if (!this.active || this.engine) return;
      this.fire("reconnect_attempt", this.attempts);
      this.open();
    }, delay);
  }
}

/** Creates a socket for the server at `url` ("" = the page's origin) and connects unless autoConnect is false. */
export function io(url = "", opts = {}) {
  const socket = new Socket(url, opts);
  if (socket.opts.autoConnect) socket.connect();
  return socket;
}
