// WebSocketCore
//
// RFC 6455 WebSocket handshake and framing with RFC 7692 permessage-deflate, on HTTPCore's upgrade hook.
