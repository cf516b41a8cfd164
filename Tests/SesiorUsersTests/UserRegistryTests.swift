import RedisStore
import SesiorTesting
import Testing

import SesiorUsers

@Suite("UserRegistry contract, memory and Redis")
struct UserRegistryTests {
    enum Kind: String, CaseIterable, Sendable { case memory, redis }

    /// Runs `body` with a registry of `kind` (Redis: a throwaway redis-server).
    func withRegistry(_ kind: Kind, _ body: (any UserRegistry) async throws -> Void) async throws {
        switch kind {
        case .memory:
            try await body(MemoryUserRegistry())
        case .redis:
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                do {
                    try await body(RedisUserRegistry(client: pool))
                    await pool.close()
                } catch {
                    await pool.close()
                    throw error
                }
            }
        }
    }

    @Test("claim, transfer and release act only for the owning session", arguments: Kind.allCases)
    func ownership(kind: Kind) async throws {
        try await withRegistry(kind) { users in
            let alice = try UserName(validating: "alice")
            #expect(try await users.claim(alice, for: "s1") == .claimed)
            #expect(try await users.claim(alice, for: "s1") == .claimed)
            #expect(try await users.claim(alice, for: "s2") == .taken(by: "s1"))
            #expect(try await users.transfer(alice, from: "s2", to: "s3") == false)
            #expect(try await users.transfer(alice, from: "s1", to: "s2") == true)
            #expect(try await users.owner(of: alice) == "s2")
            #expect(try await users.release(alice, ownedBy: "s1") == false)
            #expect(try await users.userNames() == ["alice"])
            #expect(try await users.release(alice, ownedBy: "s2") == true)
            #expect(try await users.owner(of: alice) == nil)
            #expect(try await users.claim(alice, for: "s4") == .claimed)
        }
    }

    @Test("userNames lists every name, sorted", arguments: Kind.allCases)
    func listing(kind: Kind) async throws {
        try await withRegistry(kind) { users in
            for (index, name) in ["zoe", "Émile", "bob", "ali ce"].enumerated() {
                let userName = try UserName(validating: name)
                #expect(try await users.claim(userName, for: "s\(index)") == .claimed)
            }
            #expect(try await users.userNames() == ["ali ce", "bob", "zoe", "Émile"])
        }
    }

    @Test("names are trimmed and limited to 32 printable characters")
    func userNameRules() throws {
        #expect(try UserName(validating: " \t alice \n").value == "alice")
        #expect(try UserName(validating: String(repeating: "a", count: 32)).value.count == 32)
        #expect(throws: UserNameError.tooLong) { try UserName(validating: String(repeating: "a", count: 33)) }
        #expect(throws: UserNameError.empty) { try UserName(validating: " \u{3000} ") }
        #expect(throws: UserNameError.unprintable) { try UserName(validating: "a\u{0}b") }
        #expect(throws: UserNameError.unprintable) { try UserName(validating: "a\u{E000}") }
        #expect(try UserName(validating: "👨‍👩‍👧").value == "👨‍👩‍👧")
    }
}
