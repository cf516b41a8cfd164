import JavaScriptFormats

// SocketIO
//
// An Engine.IO v4 / Socket.IO v5 server core: namespaces, rooms, acknowledgements and adapters;
// with `allowEIO3` also Engine.IO v3 / Socket.IO protocol 4 (socket.io 2.x clients).
//
// This target is layered by concept:
// - Value/: `SocketIOValue`, a JSON value that can hold binary, with a JSON reader and a writer
//   that matches `JSON.stringify` byte for byte.
// - EngineIO/: the Engine.IO packet codecs (WebSocket frames and polling payloads; the v3 ones in
//   `EngineIOPayloadV3` and `EngineIOWireFormat`, which each session asks), the handshake
//   and HTTP error bodies, and `EngineIOSession`, the per-session state machine (heartbeat,
//   polling rules, upgrade, maxPayload) that returns actions instead of doing I/O.
// - Protocol/: the Socket.IO packet codec, including binary attachment deconstruction and
//   reassembly.
// - Server/: the adapter protocol, the in-memory adapter, `SocketIOConnection` (the
//   per-connection namespace/ack state machine), and the server API (`SocketIOServer`,
//   namespaces, sockets, broadcast operators).
// - RedisAdapter/: the adapter across instances, on the channels and in the message format of
//   `@socket.io/redis-adapter` 8.x (pure message values in `RedisAdapterMessage`/`Request`/
//   `Response`, the pub/sub shell in `SocketIORedisBus`), so sesior and Node servers share a
//   cluster: broadcasts (with acks), room operations, `fetchSockets`, `allRooms`, `serverSideEmit`.
// - Transport/: the I/O shell: `EngineIOServer`, an HTTPCore middleware serving long-polling
//   and WebSocket (through WebSocketCore), and `EngineIOSocket`, which drives one session.
//
// The codecs and state machines are pure: no sockets, no timers, no clocks. Time arrives as
// `NIODeadline` values and timers leave as `scheduleTimer` actions, so the I/O shell in
// Transport/ drives them and tests drive them deterministically.
//
// How the shell drives the pure core:
// - HTTP: `EngineIORequest.classify` on each request to the Engine.IO path; sessions by sid;
//   GET → `handlePoll` (hold the request until `.answerPoll`), POST → `beginPost` on the head and
//   `finishPost` with the body, a WebSocket handshake → `open(transport: .websocket)` or
//   `beginUpgrade` + `handleProbeFrame` on the probing socket.
// - WebSocket: served by WebSocketCore's callbacks on the connection's event loop; writes are
//   enqueued on the connection. An idle connection holds no task.
// - Timers: one callback scheduled on an event loop per session/connection; `.scheduleTimer`
//   for a later deadline keeps the pending one (it fires early and the machine re-arms).
// - Socket.IO: `.deliver` from the session is handed, in order and outside the session's lock,
//   to `SocketIOClient.receive`, which feeds `SocketIOConnection.receive`; its `.send` goes back
//   to `EngineIOSession.send`; `.authorize` runs the namespace middleware in a task, events that
//   arrive meanwhile wait for it.
// - Broadcasts: `SocketIOAdapter.broadcast` encodes once and calls `SocketIOLocalSockets.deliver`,
//   which writes `SocketIOEncodedPacket.frames` to each socket via `EngineIOSession.send(frames:)`.
