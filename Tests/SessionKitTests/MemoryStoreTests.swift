import Foundation
import JavaScriptFormats
import SessionKit
import Testing

@Suite struct MemoryStoreTests {
    func session(_ values: JSONValue, expiresIn seconds: Double?, clock: TestClock) -> SessionData {
        var cookie = SessionCookie()
        if let seconds { cookie.setMaxAge(seconds * 1000, now: clock.now) }
        return SessionData(cookie: cookie, values: values.objectValue ?? [:])
    }

    @Test func thousandConcurrentUpdatesKeepEveryKey() async throws {
        let store = MemoryStore()
        try await store.set("s", SessionData())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<1000 {
                group.addTask { try await store.update("s") { $0?["key\(index)"] = .number(Double(index)) } }
            }
            try await group.waitForAll()
        }
        let values = try #require(try await store.get("s")).values
        #expect(values.count == 1000)
        #expect((0..<1000).allSatisfy { values["key\($0)"] == .number(Double($0)) })
    }

    @Test func thousandConcurrentModifiesThroughTheLifecycle() async throws {
        let lifecycle = SessionLifecycle(configuration: SessionConfiguration(secrets: ["s"], store: MemoryStore()))
        let session = try await lifecycle.load(cookieHeader: nil)
        _ = try await lifecycle.commit(session)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<1000 {
                group.addTask { try await lifecycle.modify(sessionID: session.id) { $0["k\(index)"] = true } }
            }
            try await group.waitForAll()
        }
        try await session.reload()
        #expect(session.keys.count == 1000)
    }

    @Test func expiredEntriesAreNotReturnedAndAreSwept() async throws {
        let clock = TestClock()
        let store = MemoryStore(sweepInterval: .seconds(60), clock: clock.sessionClock)
        try await store.set("short", session(["a": 1], expiresIn: 10, clock: clock))
        try await store.set("long", session(["a": 2], expiresIn: 1000, clock: clock))
        try await store.set("forever", session(["a": 3], expiresIn: nil, clock: clock))
        #expect(try await store.length() == 3)
        clock.advance(seconds: 10)
        #expect(try await store.get("short") == nil, "expiry is inclusive, like express-session's MemoryStore")
        #expect(try await store.length() == 2)
        clock.advance(seconds: 1000)
        #expect(try await store.get("forever") != nil)
        #expect(try await store.ids() == ["forever"])
    }

    @Test func touchExtendsExpiryWithoutChangingData() async throws {
        let clock = TestClock()
        let store = MemoryStore(clock: clock.sessionClock)
        try await store.set("s", session(["a": 1], expiresIn: 10, clock: clock))
        clock.advance(seconds: 5)
        try await store.touch("s", session(["ignored": true], expiresIn: 10, clock: clock))
        clock.advance(seconds: 8)
        #expect(try await store.get("s")?.values == ["a": 1])
    }

    @Test func boundEvictsTheSoonestExpiring() async throws {
        let clock = TestClock()
        let store = MemoryStore(maxEntries: 3, clock: clock.sessionClock)
        try await store.set("late", session([:], expiresIn: 300, clock: clock))
        try await store.set("soon", session([:], expiresIn: 100, clock: clock))
        try await store.set("never", session([:], expiresIn: nil, clock: clock))
        try await store.set("new", session([:], expiresIn: 200, clock: clock))
        #expect(Set(try await store.ids()) == ["late", "never", "new"])
        try await store.set("late", session(["x": 1], expiresIn: 300, clock: clock))
        #expect(try await store.length() == 3, "rewriting an existing id evicts nothing")
    }

    @Test func boundPrefersSweepingExpiredOverEvicting() async throws {
        let clock = TestClock()
        let store = MemoryStore(maxEntries: 2, clock: clock.sessionClock)
        try await store.set("a", session([:], expiresIn: 10, clock: clock))
        try await store.set("b", session([:], expiresIn: 100, clock: clock))
        clock.advance(seconds: 20)
        try await store.set("c", session([:], expiresIn: 100, clock: clock))
        #expect(Set(try await store.ids()) == ["b", "c"])
    }

    @Test func storedDataIsACopy() async throws {
        let store = MemoryStore()
        var data = SessionData(values: ["a": 1])
        try await store.set("s", data)
        data["a"] = 2
        #expect(try await store.get("s")?.values["a"] == 1)
    }
}

@Suite struct ConcurrentRequestTests {
    @Test func concurrentRequestsAndSocketEventsKeepEveryKey() async throws {
        let lifecycle = SessionLifecycle(configuration: SessionConfiguration(
            secrets: ["s"], resave: false, saveUninitialized: false, store: MemoryStore()))
        let first = try await lifecycle.load(cookieHeader: nil)
        first["start"] = true
        let setCookie = try #require(try await lifecycle.commit(first))
        let header = String(setCookie.prefix { $0 != ";" })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<300 {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        let request = try await lifecycle.load(cookieHeader: header)
                        request["rest\(index)"] = .number(Double(index))
                        _ = try await lifecycle.commit(request)
                    } else {
                        try await lifecycle.modify(sessionID: first.id) { $0["socket\(index)"] = .number(Double(index)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let stored = try #require(try await lifecycle.loadExisting(cookieHeader: header))
        #expect(stored.keys.count == 301)
        #expect((0..<300).allSatisfy { stored[$0.isMultiple(of: 2) ? "rest\($0)" : "socket\($0)"] == .number(Double($0)) })
    }
}
