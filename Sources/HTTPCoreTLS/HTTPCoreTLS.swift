// HTTPCoreTLS
//
// TLS for HTTPCore's server through swift-nio-ssl (BoringSSL): a certificate chain and private
// key read from PEM files become an `HTTPConnectionSetup` that puts a TLS handler in front of
// HTTP on every accepted connection, so HTTP, WebSocket upgrades and everything on top of them
// (Engine.IO, Socket.IO) are served over https and wss. The files can be read again while the
// server runs (`reload()`, e.g. on SIGHUP): new connections get the new certificate, open ones
// keep theirs. Kept apart from HTTPCore so that plain-HTTP users do not build BoringSSL.
