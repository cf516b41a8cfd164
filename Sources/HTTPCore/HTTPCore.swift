// HTTPCore
//
// HTTP/1.1 parsing and serialization, a SwiftNIO server, and an Express-like middleware chain.
