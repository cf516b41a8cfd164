import Testing

/// Every RedisStore suite, run one test at a time: each test starts its own redis-server, and the
/// compare-and-set test is CPU-heavy in debug builds; in parallel on a small machine they starve
/// each other's event loops and trip the very timeouts under test.
@Suite(.serialized) enum RedisStoreTestSuite {}
