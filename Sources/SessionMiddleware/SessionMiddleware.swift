// SessionMiddleware
//
// Exposes SessionKit sessions to HTTPCore route handlers, so SessionKit itself imports neither HTTPCore nor NIO.
