// SesiorTesting
//
// Test support shared by SESIOR's test targets: a throwaway redis-server and the SessionStore conformance suite.
