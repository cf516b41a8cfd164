import Foundation
import JavaScriptFormats
import SessionKit

/// The behaviour every `SessionStore` must show, written once and run against each store
/// (MemoryStore, RedisSessionStore, …). It does not depend on a test framework: each check is an
/// async function that throws `StoreConformanceFailure` on the first mismatch, so a test target
/// wraps them in `@Test`s (`arguments: SessionStoreConformance.checkNames`) or calls `run`.
///
/// Every check receives a fresh, empty store that no one else writes to, built on the system clock
/// (expiry checks use wall-clock time: a cookie that expired an hour ago, one that expires in ~1 s).
public enum SessionStoreConformance {
    /// Makes the store a check runs against.
    public typealias StoreFactory = @Sendable () async throws -> any SessionStore

    /// A named check.
    public struct Check: Sendable {
        /// The behaviour checked, e.g. `"updateIsAtomic"`.
        public let name: String
        /// Runs the check against a store.
        public let run: @Sendable (any SessionStore) async throws -> Void
    }

    /// All checks, in a stable order.
    public static let checks: [Check] = [
        Check(name: "getMissing", run: getMissing),
        Check(name: "setThenGet", run: setThenGet),
        Check(name: "setReplaces", run: setReplaces),
        Check(name: "destroy", run: destroy),
        Check(name: "touch", run: touch),
        Check(name: "idsAllLengthClear", run: idsAllLengthClear),
        Check(name: "expiredIsGone", run: expiredIsGone),
        Check(name: "expiresLater", run: expiresLater),
        Check(name: "updateCreatesModifiesDestroys", run: updateCreatesModifiesDestroys),
        Check(name: "updateTransformErrorWritesNothing", run: updateTransformErrorWritesNothing),
        Check(name: "updateIsAtomic", run: { try await updateIsAtomic($0, writers: 200) }),
    ]

    /// The names of all checks, for parameterized tests.
    public static var checkNames: [String] { checks.map(\.name) }

    /// Runs the check called `name` against a store from `makeStore`.
    ///
    /// - Throws: `StoreConformanceFailure` on a mismatch (or for an unknown name), or the store's own error.
    public static func run(_ name: String, makeStore: StoreFactory) async throws {
        guard let check = checks.first(where: { $0.name == name }) else {
            throw StoreConformanceFailure(check: name, message: "no such conformance check")
        }
        try await check.run(try await makeStore())
    }

    /// Runs every check, each against a fresh store, stopping at the first failure.
    public static func run(makeStore: StoreFactory) async throws {
        for check in checks {
            try await check.run(try await makeStore())
        }
    }

    // MARK: - Checks

    /// `get` of an id never written returns nil.
    public static func getMissing(_ store: any SessionStore) async throws {
        let id = newID()
        try expect(try await store.get(id) == nil, "getMissing", "get of an unknown id returned a session")
    }

    /// What `set` stores, `get` returns with byte-identical JSON, unknown keys and key order included.
    public static func setThenGet(_ store: any SessionStore) async throws {
        let id = newID()
        let json = #"{"cookie":{"originalMaxAge":3600000,"expires":"\#(isoString(in: 3600))","secure":true,"#
            + #""httpOnly":true,"domain":"example.com","path":"/","sameSite":"lax"},"userName":"alice","#
            + #""zeta":{"b":[1,2.5,-0.001,1e+21,null,true],"a":"\u0001 é \" \\ 😀"},"alpha":0}"#
        let data = try SessionData(jsonString: json)
        try await store.set(id, data)
        let loaded = try await store.get(id)
        try expect(loaded?.jsonString == json, "setThenGet", "stored \(json) but read \(loaded?.jsonString ?? "nil")")
    }

    /// A second `set` replaces the first entirely.
    public static func setReplaces(_ store: any SessionStore) async throws {
        let id = newID()
        try await store.set(id, session(["a": 1, "b": 2]))
        try await store.set(id, session(["c": 3]))
        let loaded = try await store.get(id)
        try expect(loaded?.values == ["c": 3], "setReplaces", "expected only c=3, read \(loaded?.jsonString ?? "nil")")
    }

    /// `destroy` removes a session; destroying a missing one is not an error.
    public static func destroy(_ store: any SessionStore) async throws {
        let id = newID()
        try await store.set(id, session(["a": 1]))
        try await store.destroy(id)
        try expect(try await store.get(id) == nil, "destroy", "session still readable after destroy")
        try await store.destroy(id)
        try await store.destroy(newID())
    }

    /// `touch` keeps the user data and extends the life of a session; it does not create one.
    public static func touch(_ store: any SessionStore) async throws {
        let id = newID()
        try await store.set(id, session(["a": 1], expiresIn: 2))
        var touched = session(["other": true], expiresIn: 3600)
        try await store.touch(id, touched)
        let loaded = try await store.get(id)
        try expect(loaded?.values == ["a": 1], "touch", "touch changed the user data: \(loaded?.jsonString ?? "nil")")
        try await Task.sleep(for: .milliseconds(3100))
        try expect(try await store.get(id) != nil, "touch", "a touched session expired at its old expiry")
        let missing = newID()
        touched.values = ["x": 1]
        try await store.touch(missing, touched)
        try expect(try await store.get(missing) == nil, "touch", "touch created a missing session")
    }

    /// `ids`, `all` and `length` list exactly the live sessions; `clear` removes them all.
    public static func idsAllLengthClear(_ store: any SessionStore) async throws {
        let name = "idsAllLengthClear"
        let ids = (0..<5).map { _ in newID() }
        for (index, id) in ids.enumerated() {
            try await store.set(id, session(["index": .number(Double(index))]))
        }
        try await store.set(newID(), session(["expired": true], expiresIn: -3600))
        let listed = try await store.ids()
        try expect(Set(listed) == Set(ids) && listed.count == ids.count, name, "ids() returned \(listed), expected \(ids)")
        try expect(try await store.length() == 5, name, "length() is not 5")
        let all = try await store.all()
        try expect(Set(all.keys) == Set(ids), name, "all() returned ids \(Array(all.keys))")
        for (index, id) in ids.enumerated() {
            try expect(all[id]?.values["index"] == .number(Double(index)), name, "all()[\(id)] has the wrong data")
        }
        try await store.clear()
        try expect(try await store.length() == 0, name, "length() after clear is not 0")
        try expect(try await store.ids().isEmpty, name, "ids() after clear is not empty")
        try expect(try await store.get(ids[0]) == nil, name, "a session survived clear")
    }

    /// A session whose cookie already expired is not stored or not returned.
    public static func expiredIsGone(_ store: any SessionStore) async throws {
        let id = newID()
        try await store.set(id, session(["a": 1], expiresIn: -1))
        try expect(try await store.get(id) == nil, "expiredIsGone", "an expired session was returned")
    }

    /// A session disappears once its cookie's expiry passes.
    public static func expiresLater(_ store: any SessionStore) async throws {
        let id = newID()
        try await store.set(id, session(["a": 1], expiresIn: 1.2))
        try expect(try await store.get(id) != nil, "expiresLater", "session missing before its expiry")
        try await Task.sleep(for: .milliseconds(2600))
        try expect(try await store.get(id) == nil, "expiresLater", "session still returned after its expiry")
    }

    /// `update` creates a missing session, modifies an existing one, and destroys it when set to nil.
    public static func updateCreatesModifiesDestroys(_ store: any SessionStore) async throws {
        let name = "updateCreatesModifiesDestroys"
        let id = newID()
        let untouched = try await store.update(id) { _ in }
        try expect(untouched == nil, name, "a no-op update of a missing session returned data")
        try expect(try await store.get(id) == nil, name, "a no-op update created a session")
        let created = try await store.update(id) { data in data = session(["a": 1]) }
        try expect(created?.values == ["a": 1], name, "update did not return the created data")
        try expect(try await store.get(id)?.values == ["a": 1], name, "update did not create the session")
        let foreign = #"{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"a":1,"foreign":{"k":[1,"x"]}}"#
        try await store.set(id, try SessionData(jsonString: foreign))
        try await store.update(id) { data in data?["b"] = "two" }
        let modified = try await store.get(id)
        let expected = #"{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"a":1,"foreign":{"k":[1,"x"]},"b":"two"}"#
        try expect(modified?.jsonString == expected, name, "update wrote \(modified?.jsonString ?? "nil"), expected \(expected)")
        let destroyed = try await store.update(id) { data in data = nil }
        try expect(destroyed == nil, name, "update to nil returned data")
        try expect(try await store.get(id) == nil, name, "update to nil did not destroy the session")
    }

    /// An error thrown by the transform aborts the update and reaches the caller.
    public static func updateTransformErrorWritesNothing(_ store: any SessionStore) async throws {
        let name = "updateTransformErrorWritesNothing"
        let id = newID()
        try await store.set(id, session(["a": 1]))
        do {
            try await store.update(id) { data in
                data?["a"] = 2
                throw StoreConformanceFailure(check: name, message: "transform error")
            }
            throw StoreConformanceFailure(check: name, message: "update swallowed the transform's error")
        } catch let failure as StoreConformanceFailure where failure.message == "transform error" {
            // Expected.
        }
        try expect(try await store.get(id)?.values == ["a": 1], name, "a failed transform's change was written")
    }

    /// `writers` concurrent updates, each adding its own key to one session, all survive.
    public static func updateIsAtomic(_ store: any SessionStore, writers: Int) async throws {
        let id = newID()
        try await store.set(id, session(["initial": true]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    try await store.update(id) { data in data?["key\(writer)"] = .number(Double(writer)) }
                }
            }
            try await group.waitForAll()
        }
        let values = try await store.get(id)?.values ?? [:]
        let missing = (0..<writers).filter { values["key\($0)"] != .number(Double($0)) }
        try expect(missing.isEmpty && values["initial"] == true, "updateIsAtomic",
            "\(missing.count) of \(writers) concurrent updates were lost (e.g. key\(missing.first ?? -1))")
    }

    // MARK: - Helpers

    private static func expect(_ condition: Bool, _ check: String, _ message: @autoclosure () -> String) throws {
        if !condition { throw StoreConformanceFailure(check: check, message: message()) }
    }

    private static func newID() -> String { SessionID.generate() }

    private static func isoString(in seconds: TimeInterval) -> String {
        JavaScriptDate.isoString(Date().addingTimeInterval(seconds))
    }

    private static func session(_ values: JSONValue, expiresIn seconds: TimeInterval = 3600) -> SessionData {
        var cookie = SessionCookie()
        cookie.setMaxAge(seconds * 1000, now: Date())
        return SessionData(cookie: cookie, values: values.objectValue ?? [:])
    }
}
