// SessionKit
//
// express-session compatible signed sessions that embed in any Swift server. It holds the cookie
// signer (cookie-signature's format over OpenSSL's HMAC-SHA256), session ids, the session model
// (an ordered JSON object whose serialization is byte-identical to express-session's), the
// `SessionStore` protocol with an atomic `update` and the in-memory `MemoryStore`, and the
// framework-neutral request lifecycle (`SessionLifecycle`: load from a Cookie header, commit to a
// Set-Cookie value). It depends on COpenSSL and JavaScriptFormats (JSON and Base64 as Node
// writes them) only: no NIO, no HTTP server.
