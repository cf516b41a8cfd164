// SesiorTesting
//
// Test support shared by SESIOR's test targets: a throwaway redis-server, the runner of the
// Python test clients (`PythonScript`) and the SessionStore
// conformance suite (`SessionStoreConformance`), which imports no test framework so every store's
// test target can wrap its checks.
