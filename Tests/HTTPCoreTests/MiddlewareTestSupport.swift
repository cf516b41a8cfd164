import Foundation
import NIOCore

@testable import HTTPCore

/// A request built for calling a middleware directly.
func makeRequest(
    _ method: HTTPMethod = .get, _ target: String = "/", headers: HTTPHeaders = ["Host": "localhost"], body: String = ""
) -> Request {
    Request(head: HTTPRequestHead(method: method, target: target, headers: headers), body: ByteBuffer(string: body))
}

/// A `next` that records the request it received and answers 200 "next".
final class RecordingNext: Sendable {
    private let box = LockedBox<Request?>(nil)

    var received: Request? { box.value }

    var next: Next {
        { [box] request in
            box.value = request
            return Response(status: .ok, headers: ["Content-Type": "text/plain"], body: .bytes(ByteBuffer(string: "next")))
        }
    }
}

/// A tiny lock-protected value for test doubles.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    // Invariant: `stored` is only touched while `lock` is held.
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension Response {
    /// The body of a `.bytes` response as text (empty for streams).
    var bodyText: String {
        if case .bytes(let bytes) = body { return String(buffer: bytes) }
        return ""
    }
}
