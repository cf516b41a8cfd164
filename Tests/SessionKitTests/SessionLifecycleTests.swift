import Foundation
import SessionKit
import Testing

@Suite struct SessionLifecycleTests {
    static let vectorID = "abcdefghijklmnopqrstuvwxyz012345"
    static let vectorSetCookie =
        "connect.sid=s%3Aabcdefghijklmnopqrstuvwxyz012345.BrEPk968vUZ%2FCnAf6ia8LeVK0ZdNlaTCayuy4f3RxQE; Path=/; HttpOnly"

    let clock = TestClock()
    let store: RecordingStore

    init() {
        store = RecordingStore(clock: clock.sessionClock)
    }

    func lifecycle(
        cookie: SessionCookieOptions = SessionCookieOptions(),
        resave: Bool = false,
        saveUninitialized: Bool = false,
        unset: SessionConfiguration.UnsetBehavior = .keep,
        secrets: [String] = ["SESIORsecret"],
        generateID: (@Sendable () -> String)? = nil
    ) -> SessionLifecycle {
        SessionLifecycle(configuration: SessionConfiguration(
            secrets: secrets, cookie: cookie, resave: resave, saveUninitialized: saveUninitialized, unset: unset,
            generateID: generateID ?? { SessionID.generate() }, store: store, clock: clock.sessionClock))
    }

    func cookieHeader(_ setCookie: String?) throws -> String {
        String(try #require(setCookie).prefix { $0 != ";" })
    }

    @Test func testVectorSetCookie() async throws {
        let lifecycle = lifecycle(generateID: { Self.vectorID })
        let session = try await lifecycle.load(cookieHeader: nil)
        session["userName"] = "alice"
        #expect(try await lifecycle.commit(session) == Self.vectorSetCookie)
        let stored = try await store.backing.get(Self.vectorID)
        #expect(stored?.jsonString
            == #"{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"userName":"alice"}"#)
    }

    @Test func storedJSONWithOptionsIsExpressSessionsByteForByte() async throws {
        let lifecycle = lifecycle(cookie: SessionCookieOptions(
            maxAge: .seconds(3600), secure: .always, sameSite: .lax, domain: "example.com"))
        let session = try await lifecycle.load(cookieHeader: nil, isSecureConnection: true)
        session["userName"] = "alice"
        let setCookie = try #require(try await lifecycle.commit(session))
        let stored = try #require(try await store.backing.get(session.id))
        #expect(stored.jsonString == #"{"cookie":{"originalMaxAge":3600000,"expires":"2026-11-27T11:55:18.602Z","#
            + #""secure":true,"httpOnly":true,"domain":"example.com","path":"/","sameSite":"lax"},"userName":"alice"}"#)
        #expect(setCookie.hasSuffix(
            "; Domain=example.com; Path=/; Expires=Fri, 27 Nov 2026 11:55:18 GMT; HttpOnly; Secure; SameSite=Lax"))
    }

    @Test func allCookieAttributesInCookieModuleOrder() {
        let cookie = SessionCookie(
            partitioned: true, priority: "high", expires: JavaScriptDate.parseISO("2026-11-27T11:55:18.602Z"),
            secure: true, domain: "example.com", path: "/app", sameSite: SessionCookie.SameSite(jsonValue: true))
        #expect(SetCookie.headerValue(name: "sid", value: "s:a+b/c=", cookie: cookie)
            == "sid=s%3Aa%2Bb%2Fc%3D; Domain=example.com; Path=/app; Expires=Fri, 27 Nov 2026 11:55:18 GMT; "
            + "HttpOnly; Secure; Partitioned; Priority=High; SameSite=Strict")
    }

    @Test func expiredSetCookieClearsTheCookie() {
        #expect(SetCookie.expiredHeaderValue(name: "connect.sid")
            == "connect.sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(SetCookie.expiredHeaderValue(name: "sid", path: "/app", domain: "example.com")
            == "sid=; Domain=example.com; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test func existingSessionRoundTripsThroughTheCookie() async throws {
        let lifecycle = lifecycle()
        let first = try await lifecycle.load(cookieHeader: nil)
        try first.set("userName", "alice")
        let header = try cookieHeader(try await lifecycle.commit(first))
        let second = try await lifecycle.load(cookieHeader: "other=1; " + header)
        #expect(second.id == first.id)
        #expect(!second.isNew)
        #expect(try second.get("userName", as: String.self) == "alice")
        #expect(try second.get("missing", as: String.self) == nil)
    }

    @Test(arguments: [
        "connect.sid=abcdefghijklmnopqrstuvwxyz012345",
        "connect.sid=s%3Aabcdefghijklmnopqrstuvwxyz012345.BrEPk968vUZ%2FCnAf6ia8LeVK0ZdNlaTCayuy4f3RxQF",
        "connect.sid=s%3Aabcdefghijklmnopqrstuvwxyz012346.BrEPk968vUZ%2FCnAf6ia8LeVK0ZdNlaTCayuy4f3RxQE",
        "connect.sid=s%3Aabcdefghijklmnopqrstuvwxyz012345",
        "connect.sid=",
        "connect.sid=s%3A",
        "connect.sid=%ZZ",
        "connect.sid=s%3A" + String(repeating: "x", count: 10_240),
    ])
    func invalidCookiesStartAFreshSessionWithoutError(header: String) async throws {
        let lifecycle = lifecycle()
        // Make the vector's id known to the store, so only the cookie's validity decides.
        try await store.backing.set(Self.vectorID, SessionData(values: ["userName": "alice"]))
        let session = try await lifecycle.load(cookieHeader: header)
        #expect(session.isNew)
        #expect(session.id != Self.vectorID)
        #expect(session["userName"] == nil)
        #expect(try await lifecycle.loadExisting(cookieHeader: header) == nil)
    }

    @Test func validCookieForUnknownSessionStartsFreshSession() async throws {
        let lifecycle = lifecycle()
        let header = try cookieHeader(Self.vectorSetCookie)
        #expect(lifecycle.sessionID(fromCookieHeader: header) == Self.vectorID)
        let session = try await lifecycle.load(cookieHeader: header)
        #expect(session.isNew && session.id != Self.vectorID)
        #expect(try await lifecycle.loadExisting(cookieHeader: header) == nil)
        try await store.backing.set(Self.vectorID, SessionData(values: ["userName": "alice"]))
        let existing = try #require(try await lifecycle.loadExisting(cookieHeader: header))
        #expect(existing.id == Self.vectorID && existing["userName"] == "alice")
    }

    @Test func rotatedSecretStillLoadsAndNewCookieUsesNewSecret() async throws {
        try await store.backing.set(Self.vectorID, SessionData(values: ["userName": "alice"]))
        let lifecycle = lifecycle(secrets: ["rotatedSecret", "SESIORsecret"])
        let session = try await lifecycle.load(cookieHeader: try cookieHeader(Self.vectorSetCookie))
        #expect(session.id == Self.vectorID)
        session.touch()
        #expect(lifecycle.setCookieHeaderValue(id: session.id, cookie: session.cookie).contains(
            SessionCookieSigner.sign(Self.vectorID, secret: "rotatedSecret").replacingOccurrences(of: "/", with: "%2F")
                .replacingOccurrences(of: "+", with: "%2B")))
    }

    @Test func storeFailureIsAnErrorNotAFreshSession() async throws {
        let lifecycle = lifecycle()
        let session = try await lifecycle.load(cookieHeader: nil)
        session["userName"] = "alice"
        let header = try cookieHeader(try await lifecycle.commit(session))
        store.setFailing(true)
        await #expect(throws: SessionStoreError.self) { try await lifecycle.load(cookieHeader: header) }
        await #expect(throws: SessionStoreError.self) { try await lifecycle.loadExisting(cookieHeader: header) }
        session["userName"] = "bob"
        await #expect(throws: SessionStoreError.self) { try await lifecycle.commit(session) }
        do {
            _ = try await lifecycle.load(cookieHeader: header)
        } catch let error as SessionStoreError {
            #expect(error.isUnavailable && error.httpStatusCode == 503 && error.reason == "connection refused")
        }
        store.setFailing(false)
        _ = try await lifecycle.commit(session)
        #expect(try await store.backing.get(session.id)?.values["userName"] == "bob", "a failed save is retried")
    }

    @Test func destroyRemovesTheSessionAndSendsNoCookie() async throws {
        let lifecycle = lifecycle()
        let first = try await lifecycle.load(cookieHeader: nil)
        first["userName"] = "alice"
        let header = try cookieHeader(try await lifecycle.commit(first))
        let session = try await lifecycle.load(cookieHeader: header)
        try await session.destroy()
        #expect(!session.isActive)
        #expect(try await lifecycle.commit(session) == nil)
        #expect(try await store.backing.get(first.id) == nil)
    }

    @Test func regenerateReplacesIDAndData() async throws {
        let lifecycle = lifecycle()
        let first = try await lifecycle.load(cookieHeader: nil)
        first["userName"] = "alice"
        let header = try cookieHeader(try await lifecycle.commit(first))
        let session = try await lifecycle.load(cookieHeader: header)
        try await session.regenerate()
        #expect(session.id != first.id && session.keys.isEmpty)
        let setCookie = try #require(try await lifecycle.commit(session))
        #expect(setCookie.contains(session.id))
        #expect(try await store.backing.get(first.id) == nil)
        #expect(try await store.backing.get(session.id) != nil, "a regenerated session counts as modified and is saved")
    }

    @Test func reloadReadsTheStoreAgain() async throws {
        let lifecycle = lifecycle()
        let first = try await lifecycle.load(cookieHeader: nil)
        first["count"] = 1
        let header = try cookieHeader(try await lifecycle.commit(first))
        let session = try await lifecycle.load(cookieHeader: header)
        try await lifecycle.modify(sessionID: session.id) { $0["count"] = 2 }
        #expect(session["count"] == 1)
        try await session.reload()
        #expect(session["count"] == 2)
        try await store.backing.destroy(session.id)
        await #expect(throws: SessionError.notFound) { try await session.reload() }
    }

    @Test func explicitSaveIsNotRepeatedAtCommit() async throws {
        let lifecycle = lifecycle()
        let session = try await lifecycle.load(cookieHeader: nil)
        session["a"] = 1
        try await session.save()
        #expect(store.operations.filter { $0 == .update }.count == 1)
        #expect(try await lifecycle.commit(session) != nil)
        #expect(store.operations.filter { $0 == .update }.count == 1)
    }

    @Test(arguments: [false, true])
    func unsetKeepsOrDestroys(destroy: Bool) async throws {
        let lifecycle = lifecycle(unset: destroy ? .destroy : .keep)
        let first = try await lifecycle.load(cookieHeader: nil)
        first["a"] = 1
        let header = try cookieHeader(try await lifecycle.commit(first))
        let session = try await lifecycle.load(cookieHeader: header)
        session["a"] = 2
        session.unset()
        #expect(try await lifecycle.commit(session) == nil)
        let stored = try await store.backing.get(first.id)
        #expect(destroy ? stored == nil : stored?.values["a"] == 1)
    }

    @Test func secureCookieIsSavedButNotSentOverPlainConnections() async throws {
        let lifecycle = lifecycle(cookie: SessionCookieOptions(secure: .always))
        let session = try await lifecycle.load(cookieHeader: nil, isSecureConnection: false)
        session["a"] = 1
        #expect(try await lifecycle.commit(session) == nil)
        #expect(try await store.backing.get(session.id) != nil)
    }

    @Test(arguments: [false, true])
    func secureAutoFollowsTheConnection(secure: Bool) async throws {
        let lifecycle = lifecycle(cookie: SessionCookieOptions(secure: .auto))
        let session = try await lifecycle.load(cookieHeader: nil, isSecureConnection: secure)
        #expect(session.cookie.secure == secure)
    }

    @Test func fixedExpiresSetsOriginalMaxAge() async throws {
        let lifecycle = lifecycle(cookie: SessionCookieOptions(expires: clock.now.addingTimeInterval(120)))
        let session = try await lifecycle.load(cookieHeader: nil)
        #expect(session.cookie.originalMaxAge == 120_000)
    }

    @Test func concurrentRequestsDoNotLoseEachOthersKeys() async throws {
        let lifecycle = lifecycle()
        let first = try await lifecycle.load(cookieHeader: nil)
        first["shared"] = "x"
        first["removeMe"] = true
        let header = try cookieHeader(try await lifecycle.commit(first))
        let rest = try await lifecycle.load(cookieHeader: header)
        let other = try await lifecycle.load(cookieHeader: header)
        rest["fromREST"] = 1
        rest["removeMe"] = nil
        other["fromOther"] = 2
        _ = try await lifecycle.commit(rest)
        try await lifecycle.modify(sessionID: first.id) { $0["fromSocket"] = 3 }
        _ = try await lifecycle.commit(other)
        let stored = try #require(try await store.backing.get(first.id))
        #expect(stored.values == ["shared": "x", "fromREST": 1, "fromSocket": 3, "fromOther": 2])
    }

    @Test func modifyOfUnknownSessionDoesNothing() async throws {
        let lifecycle = lifecycle()
        #expect(try await lifecycle.modify(sessionID: "nope") { $0["a"] = 1 } == nil)
        #expect(try await store.backing.get("nope") == nil)
    }

    @Test func typedAccessStoresCodableValuesAsJSON() async throws {
        struct User: Codable, Equatable {
            var userName: String
            var tags: [String]
        }
        let lifecycle = lifecycle()
        let session = try await lifecycle.load(cookieHeader: nil)
        try session.set("user", User(userName: "alice", tags: ["a"]))
        try session.set("count", 3)
        #expect(try session.get("user", as: User.self) == User(userName: "alice", tags: ["a"]))
        #expect(session["user"] == ["userName": "alice", "tags": ["a"]])
        #expect(try session.get("count", as: Int.self) == 3)
        #expect(throws: DecodingError.self) { try session.get("count", as: String.self) }
        try session.set("count", Int?.none)
        #expect(session.keys == ["user"])
        _ = try await lifecycle.commit(session)
        #expect(try await store.backing.get(session.id)?.jsonString.hasSuffix(#""user":{"userName":"alice","tags":["a"]}}"#) == true)
    }
}

@Suite struct SessionModifiedJudgementTests {
    @Test func changingOnlyTheCookieIsNotAModification() async throws {
        let clock = TestClock()
        let store = RecordingStore(clock: clock.sessionClock)
        let lifecycle = SessionLifecycle(configuration: SessionConfiguration(
            secrets: ["s"], resave: false, saveUninitialized: false, store: store, clock: clock.sessionClock))
        let first = try await lifecycle.load(cookieHeader: nil)
        first["a"] = 1
        let setCookie = try #require(try await lifecycle.commit(first))
        store.resetLog()
        let session = try await lifecycle.load(cookieHeader: String(setCookie.prefix { $0 != ";" }))
        var cookie = session.cookie
        cookie.setMaxAge(60_000, now: clock.now)
        session.cookie = cookie
        session["a"] = 1
        #expect(try await lifecycle.commit(session) == nil)
        #expect(!store.wasWritten && store.wasTouched)
    }

    @Test func reorderingKeysIsAModificationLikeJSONStringify() async throws {
        let clock = TestClock()
        let store = RecordingStore(clock: clock.sessionClock)
        let lifecycle = SessionLifecycle(configuration: SessionConfiguration(
            secrets: ["s"], resave: false, saveUninitialized: false, store: store, clock: clock.sessionClock))
        let first = try await lifecycle.load(cookieHeader: nil)
        first["a"] = 1
        first["b"] = 2
        let setCookie = try #require(try await lifecycle.commit(first))
        store.resetLog()
        let session = try await lifecycle.load(cookieHeader: String(setCookie.prefix { $0 != ";" }))
        session["a"] = nil
        session["a"] = 1
        _ = try await lifecycle.commit(session)
        #expect(store.wasWritten)
        #expect(try await store.backing.get(session.id)?.values.keys.elementsEqual(["b", "a"]) == true)
    }
}
