// RedisStore
//
// A non-blocking Redis client over libhiredis and a connect-redis compatible `SessionStore`.
//
// Layers, bottom-up:
// - `Protocol/`: pure codecs fed bytes. `RESPCommandEncoder` formats commands with hiredis'
//   `redisFormatCommandArgv`; `RESPReplyParser` feeds a hiredis reader and turns its reply trees
//   into `RESPValue`. No sockets, clocks or globals.
// - `Client/`: the NIO shell. `RedisCommandHandler` pipelines requests over one channel (a FIFO of
//   pending promises), `RedisConnection` is one TCP connection after AUTH/SELECT, and
//   `RedisConnectionPool` spreads commands over several connections, reconnects with capped
//   exponential backoff and fails fast while Redis is down.
// - `PubSub/`: SUBSCRIBE / PSUBSCRIBE as an `AsyncSequence` on a dedicated connection that
//   resubscribes after a reconnect.
// - `Session/`: `RedisSessionStore`, byte-compatible with connect-redis.
//
// Boundaries: this target knows Redis and the session store protocol; it knows nothing of HTTP.
