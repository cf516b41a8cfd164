// SesiorTesting
//
// Test support shared by SESIOR's test targets: a throwaway redis-server, one runner for the
// programs tests start and wait for (`ChildProcess`, behind the Python test clients of
// `PythonScript`, Node.js interop scripts of `NodeScript` and the `sesior` executable's checks),
// and the SessionStore conformance suite (`SessionStoreConformance`). It imports no test
// framework, so every test target can wrap its checks.
