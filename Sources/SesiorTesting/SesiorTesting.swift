// SesiorTesting
//
// Test support shared by SESIOR's test targets: a throwaway redis-server and the SessionStore
// conformance suite (`SessionStoreConformance`), which imports no test framework so every store's
// test target can wrap its checks.
