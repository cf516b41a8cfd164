// WebSocketCore
//
// RFC 6455 WebSocket handshake and framing with RFC 7692 permessage-deflate, on HTTPCore's
// upgrade hook.
//
// Layers, bottom-up:
// - `Frame/`: a pure frame codec (`WebSocketFrameDecoder`, `WebSocketFrameEncoder`) fed bytes.
// - `Message/`: a pure message assembler (fragmentation, UTF-8, close frames, limits) that turns
//   frames into `WebSocketEvent`s, with `WebSocketProtocolError` carrying the close code.
// - `Deflate/`: permessage-deflate negotiation and the zlib compressor / decompressor.
// - `Handshake/`: validation of the upgrade request and the 101 response (`WebSocketUpgrader`).
// - `Connection/`: the NIO channel handler and the two APIs built on it: the async `WebSocket`
//   (a task per connection, messages as an async sequence, senders that wait) and, for servers
//   holding many mostly idle connections, callbacks on the event loop (`WebSocketCallbacks`,
//   `WebSocketWriter`: no task, sequence or writer per connection).
//
// Nothing here opens sockets by itself: the HTTP server (HTTPCore) hands over a channel through
// `HTTPUpgrade`.
