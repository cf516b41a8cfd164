import SessionKit
import Testing

@Suite struct CookieHeaderTests {
    @Test(arguments: [
        ("connect.sid=abc", "abc"),
        ("a=1; connect.sid=s%3Aid.sig%2F%2B; b=2", "s:id.sig/+"),
        ("  connect.sid  =  \"quoted\"  ;x=y", "quoted"),
        ("connect.sid=first; connect.sid=second", "first"),
        ("junk; connect.sid=v", "v"),
        ("connect.sid=%E0%A4%A", "%E0%A4%A"),
        ("connect.sid=%C3%A9", "é"),
        ("connect.sid=\"", ""),
        ("connect.sid=", ""),
        ("x=1;connect.sid=a=b", "a=b"),
    ])
    func valuesAreReadLikeNodeCookieParse(header: String, expected: String) {
        #expect(CookieHeader.value(named: "connect.sid", in: header) == expected)
    }

    @Test(arguments: ["", "connect.sid", "other=1", "connect.sidx=1", "xconnect.sid=1"])
    func missingCookieIsNil(header: String) {
        #expect(CookieHeader.value(named: "connect.sid", in: header) == nil)
    }
}
