/// An error that reaches the client as a status code and a short JSON reason
/// (`{"error":"<reason>"}`). Throw it from a handler or middleware; any other error becomes a 500
/// whose details are only logged.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The status code of the error response.
    public var status: HTTPResponseStatus
    /// A short reason safe to show to the client.
    public var reason: String
    /// Extra headers for the error response (e.g. `Allow`, `Sec-WebSocket-Version`).
    public var headers: HTTPHeaders

    /// An error answered with `status`; `reason` defaults to the status's reason phrase, `headers` are
    /// added to the error response.
    public init(_ status: HTTPResponseStatus, reason: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.reason = reason ?? status.reasonPhrase
        self.headers = headers
    }

    /// `<status code> <reason>`, e.g. `413 JSON body larger than 1048576 bytes`.
    public var description: String { "\(status.code) \(reason)" }
}
