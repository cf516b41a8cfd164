import Foundation
import SessionKit
import Testing

/// express-session's decisions for every combination of resave × saveUninitialized × rolling ×
/// modified × new/existing × cookie with/without expiry, checked against the store and Set-Cookie.
@Suite struct SessionOptionsMatrixTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var resave: Bool
        var saveUninitialized: Bool
        var rolling: Bool
        var modified: Bool
        var existing: Bool
        var hasMaxAge: Bool

        var testDescription: String {
            "resave=\(resave) saveUninitialized=\(saveUninitialized) rolling=\(rolling) "
                + "modified=\(modified) existing=\(existing) maxAge=\(hasMaxAge)"
        }

        /// express-session README: an existing session is saved when modified or with `resave`;
        /// a new one when modified or with `saveUninitialized`.
        var expectWritten: Bool { existing ? (resave || modified) : (saveUninitialized || modified) }
        /// An existing session that is not saved is touched.
        var expectTouched: Bool { existing && !expectWritten }
        /// A new session's cookie is sent when it is saved; an existing one's when `rolling`, or when
        /// it has an expiry and was modified.
        var expectCookie: Bool { existing ? (rolling || (hasMaxAge && modified)) : (saveUninitialized || modified) }
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for resave in [false, true] {
            for saveUninitialized in [false, true] {
                for rolling in [false, true] {
                    for modified in [false, true] {
                        for existing in [false, true] {
                            for hasMaxAge in [false, true] {
                                cases.append(Case(
                                    resave: resave, saveUninitialized: saveUninitialized, rolling: rolling,
                                    modified: modified, existing: existing, hasMaxAge: hasMaxAge))
                            }
                        }
                    }
                }
            }
        }
        return cases
    }()

    @Test(arguments: cases)
    func storeAndCookieDecisions(_ testCase: Case) async throws {
        let clock = TestClock()
        let store = RecordingStore(clock: clock.sessionClock)
        let lifecycle = SessionLifecycle(configuration: SessionConfiguration(
            secrets: ["SESIORsecret"],
            cookie: SessionCookieOptions(maxAge: testCase.hasMaxAge ? .seconds(3600) : nil),
            resave: testCase.resave, saveUninitialized: testCase.saveUninitialized, rolling: testCase.rolling,
            store: store, clock: clock.sessionClock))

        var cookieHeader: String?
        if testCase.existing {
            let first = try await lifecycle.load(cookieHeader: nil)
            first["userName"] = "alice"
            let setCookie = try #require(try await lifecycle.commit(first))
            cookieHeader = String(setCookie.prefix { $0 != ";" })
            store.resetLog()
            clock.advance(seconds: 60)
        }

        let session = try await lifecycle.load(cookieHeader: cookieHeader)
        #expect(session.isNew == !testCase.existing)
        if testCase.modified { session["visits"] = 1 }
        let setCookie = try await lifecycle.commit(session)

        #expect(store.wasWritten == testCase.expectWritten, "store written")
        #expect(store.wasTouched == testCase.expectTouched, "store touched")
        #expect((setCookie != nil) == testCase.expectCookie, "Set-Cookie sent")
        if let setCookie {
            #expect(setCookie.hasPrefix("connect.sid=s%3A\(session.id)."))
            if testCase.hasMaxAge {
                let expires = JavaScriptDate.utcString(clock.now.addingTimeInterval(3600))
                #expect(setCookie.contains("; Expires=\(expires)"), "expiry restarts from now: \(setCookie)")
            } else {
                #expect(!setCookie.contains("Expires"))
            }
        }
        let stored = try await store.backing.get(session.id)
        if testCase.expectWritten || testCase.existing {
            let data = try #require(stored)
            #expect(data.values["visits"] == (testCase.modified ? 1 : nil))
            if testCase.hasMaxAge {
                #expect(data.cookie.expires.map(JavaScriptDate.milliseconds) == JavaScriptDate.milliseconds(clock.now) + 3_600_000,
                    "store expiry restarted")
            }
        } else {
            #expect(stored == nil)
        }
    }
}
