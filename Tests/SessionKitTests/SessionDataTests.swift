import Foundation
import JavaScriptFormats
import SessionKit
import Testing

@Suite struct SessionDataTests {
    static let defaultJSON = #"{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"userName":"alice"}"#
    static let optionsJSON = #"{"cookie":{"originalMaxAge":3600000,"expires":"2026-11-27T11:55:18.602Z","secure":true,"httpOnly":true,"domain":"example.com","path":"/","sameSite":"lax"},"userName":"alice"}"#

    @Test func defaultCookieMatchesExpressSession() {
        let data = SessionData(values: ["userName": "alice"])
        #expect(data.jsonString == Self.defaultJSON)
    }

    @Test func cookieWithOptionsMatchesExpressSession() {
        let cookie = SessionCookie(
            originalMaxAge: 3_600_000, expires: JavaScriptDate.parseISO("2026-11-27T11:55:18.602Z"),
            secure: true, domain: "example.com", sameSite: .lax)
        #expect(SessionData(cookie: cookie, values: ["userName": "alice"]).jsonString == Self.optionsJSON)
    }

    @Test(arguments: [defaultJSON, optionsJSON])
    func storedJSONRoundTripsByteForByte(json: String) throws {
        #expect(try SessionData(jsonString: json).jsonString == json)
    }

    @Test func unknownKeysSurviveReadModifyWrite() throws {
        let stored = #"{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"#
            + #""passport":{"user":{"id":7,"roles":["a","b"]}},"flash":{},"userName":"alice","n":1.5e-7}"#
        var data = try SessionData(jsonString: stored)
        data["userName"] = "bob"
        data["added"] = true
        let expected = #"{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"#
            + #""passport":{"user":{"id":7,"roles":["a","b"]}},"flash":{},"userName":"bob","n":1.5e-7,"added":true}"#
        #expect(data.jsonString == expected)
    }

    @Test func cookiePositionIsPreserved() throws {
        let stored = #"{"a":1,"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"b":2}"#
        #expect(try SessionData(jsonString: stored).jsonString == stored)
    }

    @Test func nonObjectSessionIsRejected() {
        #expect(throws: JSONParsingError.self) { try SessionData(jsonString: "[1]") }
    }

    @Test func cookieKeyIsReservedForTheCookie() {
        var data = SessionData(values: ["a": 1])
        data["cookie"] = "overwritten?"
        data.values["cookie"] = "sneaked in"
        #expect(data["cookie"] == nil)
        #expect(data.jsonString == #"{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"a":1}"#)
    }
}
