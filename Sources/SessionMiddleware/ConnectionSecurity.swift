import Foundation
import HTTPCore

extension SessionMiddleware {
    /// How to tell whether a request arrived over a secure connection, which decides the
    /// `Secure` attribute of `secure: .auto` cookies (express-session's `proxy` + `req.secure`).
    public struct ConnectionSecurity: Sendable {
        private let decide: @Sendable (Request) -> Bool

        /// Decides with `isSecure`.
        public init(_ isSecure: @escaping @Sendable (Request) -> Bool) {
            self.decide = isSecure
        }

        /// Whether `request` came over a secure connection.
        public func isSecure(_ request: Request) -> Bool { decide(request) }

        /// As the server tells: `request.isSecure`, true over TLS (`HTTPCoreTLS`) or through a
        /// trusted proxy that forwarded `X-Forwarded-Proto: https`. The default.
        public static let request = ConnectionSecurity { $0.isSecure }

        /// Every request is plain HTTP, whatever the server says.
        public static let plainHTTP = ConnectionSecurity { _ in false }

        /// Every request is secure: the server only listens behind a TLS-terminating proxy.
        public static let alwaysSecure = ConnectionSecurity { _ in true }

        /// Secure when the first `X-Forwarded-Proto` value is `https` — only for servers reachable
        /// solely through a trusted proxy that sets this header (express' `trust proxy`).
        public static let trustForwardedProto = ConnectionSecurity { request in
            guard let header = request.headers["X-Forwarded-Proto"] else { return false }
            let first = header.split(separator: ",", maxSplits: 1).first ?? ""
            return first.trimmingCharacters(in: .whitespaces).lowercased() == "https"
        }
    }
}
