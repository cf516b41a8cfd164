import Foundation
import SessionKit
import Testing

/// `SessionLifecycle` with a store that restarts the expiry while loading: a read-only request
/// makes one store call; whenever express-session's commit would set something else, it still does.
@Suite struct TouchOnLoadLifecycleTests {
    let clock = TestClock()

    func lifecycle(
        _ store: TouchOnLoadStore, maxAge: Duration? = nil, resave: Bool = false
    ) -> SessionLifecycle {
        SessionLifecycle(configuration: SessionConfiguration(
            secrets: ["SESIORsecret"], cookie: SessionCookieOptions(maxAge: maxAge), resave: resave,
            saveUninitialized: false, store: store, clock: clock.sessionClock))
    }

    /// A stored session with `userName` and the cookie header that carries it.
    func storedSession(_ lifecycle: SessionLifecycle, _ store: TouchOnLoadStore) async throws -> String {
        let session = try await lifecycle.load(cookieHeader: nil)
        session["userName"] = "alice"
        let setCookie = try #require(try await lifecycle.commit(session))
        store.resetLog()
        return String(setCookie.prefix { $0 != ";" })
    }

    @Test(arguments: [nil, Duration.seconds(3600)])
    func readOnlyRequestIsOneStoreCall(maxAge: Duration?) async throws {
        let store = TouchOnLoadStore(clock: clock.sessionClock)
        let lifecycle = lifecycle(store, maxAge: maxAge)
        let cookie = try await storedSession(lifecycle, store)
        clock.advance(seconds: 30)
        let session = try await lifecycle.load(cookieHeader: cookie)
        #expect(session["userName"] == "alice")
        #expect(try await lifecycle.commit(session) == nil)
        #expect(store.operations == [.getSettingExpiry(maxAge == nil ? 86400 : 3600)])
    }

    @Test func changedMaxAgeStillTouchesWithTheNewExpiry() async throws {
        let store = TouchOnLoadStore(clock: clock.sessionClock)
        let lifecycle = lifecycle(store, maxAge: .seconds(3600))
        let cookie = try await storedSession(lifecycle, store)
        let session = try await lifecycle.load(cookieHeader: cookie)
        session.cookie.setMaxAge(7_200_000, now: clock.now)
        _ = try await lifecycle.commit(session)
        #expect(store.operations == [.getSettingExpiry(3600), .touch(7200)])
    }

    @Test func storedSessionWithItsOwnMaxAgeIsTouchedWithIt() async throws {
        let store = TouchOnLoadStore(clock: clock.sessionClock)
        let lifecycle = lifecycle(store, maxAge: .seconds(3600))
        let session = try await lifecycle.load(cookieHeader: nil)
        session["userName"] = "alice"
        session.cookie.setMaxAge(30 * 86_400_000, now: clock.now)
        let cookie = String(try #require(try await lifecycle.commit(session)).prefix { $0 != ";" })
        store.resetLog()
        clock.advance(seconds: 5)
        let again = try await lifecycle.load(cookieHeader: cookie)
        #expect(try await lifecycle.commit(again) == nil)
        #expect(store.operations == [.getSettingExpiry(3600), .touch(30 * 86400)])
    }

    @Test func modifiedSessionIsSaved() async throws {
        let store = TouchOnLoadStore(clock: clock.sessionClock)
        let lifecycle = lifecycle(store)
        let cookie = try await storedSession(lifecycle, store)
        let session = try await lifecycle.load(cookieHeader: cookie)
        session["visits"] = 1
        _ = try await lifecycle.commit(session)
        #expect(store.operations == [.getSettingExpiry(86400), .update])
        #expect(try await store.backing.get(session.id)?["visits"] == 1)
    }

    @Test func destroyedAndRegeneratedSessionsAreNotTouched() async throws {
        let store = TouchOnLoadStore(clock: clock.sessionClock)
        let lifecycle = lifecycle(store)
        let cookie = try await storedSession(lifecycle, store)
        let destroyed = try await lifecycle.load(cookieHeader: cookie)
        try await destroyed.destroy()
        #expect(try await lifecycle.commit(destroyed) == nil)
        #expect(store.operations == [.getSettingExpiry(86400), .destroy])
        #expect(try await store.backing.get(destroyed.id) == nil)
    }

    @Test func storeThatCouldNotSetTheExpiryIsTouched() async throws {
        let store = TouchOnLoadStore(clock: clock.sessionClock, canSetExpiry: false)
        let lifecycle = lifecycle(store)
        let cookie = try await storedSession(lifecycle, store)
        let session = try await lifecycle.load(cookieHeader: cookie)
        _ = try await lifecycle.commit(session)
        #expect(store.operations == [.getSettingExpiry(86400), .touch(86400)])
    }

    @Test func resaveLoadsWithPlainGet() async throws {
        let store = TouchOnLoadStore(clock: clock.sessionClock)
        let lifecycle = lifecycle(store, resave: true)
        let cookie = try await storedSession(lifecycle, store)
        let session = try await lifecycle.load(cookieHeader: cookie)
        _ = try await lifecycle.commit(session)
        #expect(store.operations == [.get, .update])
    }

    @Test func unknownSessionGetsANewOne() async throws {
        let store = TouchOnLoadStore(clock: clock.sessionClock)
        let lifecycle = lifecycle(store)
        let signed = "s%3A" + lifecycle.signer.sign("unknown-id").replacingOccurrences(of: "/", with: "%2F")
            .replacingOccurrences(of: "+", with: "%2B")
        let session = try await lifecycle.load(cookieHeader: "connect.sid=" + signed)
        #expect(session.isNew)
        #expect(try await lifecycle.commit(session) == nil)
        #expect(store.operations == [.getSettingExpiry(86400)])
    }
}
