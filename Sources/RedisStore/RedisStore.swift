// RedisStore
//
// A non-blocking Redis client over libhiredis and a connect-redis compatible SessionStore.
