/// An HTTP request method (RFC 9110 §9). Any token is a valid method; the common ones have names.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method token as sent, e.g. `GET` (methods are case-sensitive).
    public let rawValue: String

    /// A method with this token.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `GET`: retrieve a representation.
    public static let get = HTTPMethod(rawValue: "GET")
    /// `HEAD`: as `GET`, but the response carries no body.
    public static let head = HTTPMethod(rawValue: "HEAD")
    /// `POST`: process the enclosed body.
    public static let post = HTTPMethod(rawValue: "POST")
    /// `PUT`: replace the target with the enclosed body.
    public static let put = HTTPMethod(rawValue: "PUT")
    /// `PATCH` (RFC 5789): partially modify the target.
    public static let patch = HTTPMethod(rawValue: "PATCH")
    /// `DELETE`: remove the target.
    public static let delete = HTTPMethod(rawValue: "DELETE")
    /// `OPTIONS`: ask which methods are allowed (also the CORS preflight).
    public static let options = HTTPMethod(rawValue: "OPTIONS")
    /// `CONNECT`: ask for a tunnel to the target.
    public static let connect = HTTPMethod(rawValue: "CONNECT")
    /// `TRACE`: loop the request back.
    public static let trace = HTTPMethod(rawValue: "TRACE")

    /// The method token.
    public var description: String { rawValue }
}
