import Foundation
import JavaScriptFormats
import SesiorTesting
import SessionKit
import Testing

@testable import RedisStore

extension RedisStoreTestSuite {
    /// Sessions cross between SESIOR and a Node express-session + connect-redis app unchanged.
    @Suite struct ConnectRedisCompatibilityTests {
        @Test func readsASessionWrittenByNode() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let store = RedisSessionStore(client: pool)
                let written = try await NodeSessionScript.run(["write", server.url, "fromNode"])
                #expect(written.hasPrefix(#"{"cookie":{"originalMaxAge":3600000,"expires":""#))

                let session = try #require(try await store.get("fromNode"))
                #expect(session.jsonString == written)
                #expect(session.cookie.originalMaxAge == 3_600_000)
                let expires = try #require(session.cookie.expires)
                #expect(abs(expires.timeIntervalSinceNow - 3600) < 60)
                #expect(session.cookie.secure == true)
                #expect(session.cookie.httpOnly == true)
                #expect(session.cookie.domain == "example.com")
                #expect(session.cookie.path == "/")
                #expect(session.cookie.sameSite == .lax)
                #expect(session["userName"] == "alice")
                #expect(session["visits"] == 3)
                #expect(session["ratio"] == 0.25)
                #expect(session["admin"] == false)
                #expect(session["nothing"] == .null)
                #expect(session["tags"] == ["a", "é", "😀"])
                #expect(session["profile"] == ["city": "Zürich", "zip": "8000"])
                let ttl = try await pool.send("TTL", "sess:fromNode").int ?? -1
                #expect((3590...3600).contains(ttl))

                let renamed = try await store.update("fromNode") { $0?["userName"] = "bob" }
                #expect(renamed?["visits"] == 3 && renamed?["profile"] == ["city": "Zürich", "zip": "8000"])
                await pool.close()
            }
        }

        @Test func nodeReadsASessionWeWrote() async throws {
            try await RedisServer.withRunning { server in
                let pool = try RedisConnectionPool(url: server.url)
                let store = RedisSessionStore(client: pool)
                var cookie = SessionCookie(secure: false, domain: "sesior.test", sameSite: .strict)
                cookie.setMaxAge(1_800_000, now: Date())
                let data = SessionData(cookie: cookie, values: ["userName": "carol", "n": 42, "list": [1, "two", ["x": nil]]])
                try await store.set("fromSwift", data)

                let output = try await NodeSessionScript.run(["read", server.url, "fromSwift"])
                let reply = try JSONValue(parsing: output)
                #expect(reply["raw"]?.stringValue == data.jsonString)
                let ttl = try #require(reply["ttl"]?.numberValue)
                #expect((1790...1800).contains(ttl))
                #expect(reply["expiresMs"]?.numberValue == Double(JavaScriptDate.milliseconds(try #require(cookie.expires))))
                let session = try #require(reply["session"])
                #expect(session["userName"] == "carol")
                #expect(session["n"] == 42)
                #expect(session["list"] == [1, "two", ["x": nil]])
                #expect(session["cookie"]?["originalMaxAge"] == 1_800_000)
                #expect(session["cookie"]?["secure"] == false)
                #expect(session["cookie"]?["httpOnly"] == true)
                #expect(session["cookie"]?["domain"] == "sesior.test")
                #expect(session["cookie"]?["path"] == "/")
                #expect(session["cookie"]?["sameSite"] == "strict")
                await pool.close()
            }
        }
    }
}
