import SesiorTesting
import SessionKit
import Testing

@Suite struct MemoryStoreConformanceTests {
    @Test(arguments: SessionStoreConformance.checkNames)
    func conformance(check: String) async throws {
        try await SessionStoreConformance.run(check) { MemoryStore() }
    }
}
